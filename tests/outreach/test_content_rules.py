import pytest

from recordaccess.outreach.content import check

OPT_OUT_SMS = (
    "((practice name)): you can now see new entries in your GP record online. If you do not want this, tell us soon: "
    "((preference link)). Our DPIA: ((DPIA link)). Help: ((resources link))"
)
OPT_IN_SMS = (
    "((practice name)): to see your GP record online you need to ask us. Please ask soon: ((request link)). "
    "Our DPIA: ((DPIA link)). Help: ((resources link))"
)


def rules(**kwargs):
    return [b.rule for b in check(**kwargs)]


def test_good_opt_out_and_opt_in_texts_pass():
    assert rules(body=OPT_OUT_SMS, channel="sms", approach="opt_out") == []
    assert rules(body=OPT_IN_SMS, channel="sms", approach="opt_in") == []


def test_every_template_must_name_the_dpia():
    body = OPT_IN_SMS.replace("Our DPIA: ((DPIA link)). ", "")
    [dpia] = check(body=body, channel="sms", approach="opt_in")
    assert dpia.rule == "dpia" and "((DPIA reference))" in dpia.message


def test_opt_in_must_say_the_patient_has_to_ask_and_how():
    assert "must_ask" in rules(body=OPT_OUT_SMS, channel="sms", approach="opt_in")


def test_hybrid_higher_risk_patients_are_told_to_ask_and_others_how_to_decline():
    assert rules(body=OPT_IN_SMS, channel="sms", approach="hybrid", higher_risk=True) == []
    assert "how_to_decline" in rules(body=OPT_IN_SMS, channel="sms", approach="hybrid")
    assert rules(body=OPT_OUT_SMS, channel="sms", approach="hybrid") == []


def test_opt_out_must_say_how_to_decline():
    assert "how_to_decline" in rules(body=OPT_IN_SMS, channel="sms", approach="opt_out")


def test_every_announcement_urges_patients_to_act_soon():
    assert "act_soon" in rules(
        body=OPT_IN_SMS.replace("Please ask soon", "Ask"), channel="sms", approach="opt_in"
    )


def test_emails_letters_and_websites_list_the_resources_and_texts_link_to_them():
    assert "resources" in rules(body=OPT_IN_SMS, channel="email", approach="opt_in")
    assert "resources" in rules(
        body=OPT_IN_SMS.replace(" Help: ((resources link))", ""), channel="sms", approach="opt_in"
    )
    assert rules(body=OPT_IN_SMS + "\n((resources))", channel="letter", approach="opt_in") == []


@pytest.mark.parametrize(
    "word", ["safeguarding", "enhanced review", "test results", "Diagnosis", "vulnerable", "104"]
)
def test_texts_and_emails_carry_no_clinical_or_risk_detail(word):
    [private] = check(body=f"{OPT_IN_SMS} About your {word}.", channel="sms", approach="opt_in")
    assert private.rule == "private" and word.lower() in private.message


def test_letters_may_explain_risks_that_texts_must_not_name():
    body = OPT_IN_SMS + " If you are worried about abuse or someone pressuring you, talk to us. ((resources))"
    assert rules(body=body, channel="letter", approach="opt_in") == []
    assert rules(body=body, channel="email", approach="opt_in") == ["private"]


def test_the_enhanced_review_message_tells_patients_they_can_still_ask():
    body = "((practice name)): you can still ask to see your GP record online: ((request link)). Please ask soon. DPIA: ((DPIA link)). ((resources link))"
    assert rules(body=body, channel="sms", approach="opt_out", purpose="enhanced_review") == []
    assert "must_ask" in rules(body=OPT_OUT_SMS, channel="sms", approach="opt_out", purpose="enhanced_review")


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown channel"):
        check(body="x", channel="fax", approach="opt_in")

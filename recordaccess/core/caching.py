"""Nothing the service answers is kept by a browser or a proxy, unless the answer says otherwise.

Staff pages show patients' names, NHS numbers and decisions; the API answers with codes to enter; a patient's
own request form shows what they typed. Kept in a browser's cache or history, or in a shared proxy, any of them
could be read later by the next person at the same computer (a surgery's shared desk, a library). So every
dynamic answer is `Cache-Control: no-store` by default, at one depth for all of them, rather than page by page
where one would be missed. An answer that sets its own Cache-Control keeps it; static assets never reach this
middleware (WhiteNoise answers them first, with its own long caching).
"""

from django.utils.cache import add_never_cache_headers


class NoStoreByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private, max-age=0
        return response

from recordaccess.manage import main

main()

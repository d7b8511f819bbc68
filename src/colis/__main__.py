from colis.cli import main

main()

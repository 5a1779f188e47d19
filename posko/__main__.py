from posko.cli import main

main()

from posko.launch import main

main()

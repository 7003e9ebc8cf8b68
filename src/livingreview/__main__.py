from livingreview.cli import main

main()

from briefings.cli import main

main(prog_name="briefings")

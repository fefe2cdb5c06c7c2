from timeline_tui.cli import main_entry

main_entry()

import TuibaoCommands

TuibaoCommand.main()

package dev.pyrelease.cli;

import picocli.CommandLine.Command;

@Command(
    name = "pyrelease",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Builds immutable Python release images and rolls them out with instant rollback.",
    subcommands = {
      CheckCommand.class,
      BuildCommand.class,
      SourceCommand.class,
      VenvCommand.class,
      AssembleCommand.class,
      OperatorCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      StatusCommand.class,
      AuditCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:all is well",
      "1:the input is wrong (every problem is printed)",
      "2:usage error, or an index/registry/runner could not be reached"
    })
public final class RootCommand {}

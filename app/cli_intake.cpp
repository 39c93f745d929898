#include "cli_intake.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "store/listener_settings_store.h"

QString CliIntake::usage()
{
    return tr(
        "Listener:\n"
        "  intake token [--rotate]   prints the token the intake asks for in\n"
        "                            \"Authorization: Bearer TOKEN\", creating it on first\n"
        "                            use; --rotate replaces it (the old one stops working)\n");
}

int CliIntake::run(CliSession &session, const QStringList &args)
{
    if (args.value(0) != QLatin1String("token")) {
        CliParser parser(QStringLiteral("intake"));
        return parser.usageError(
            args.isEmpty() ? tr("intake needs a subcommand: token.")
                           : tr("intake has no subcommand \"%1\"; use token.").arg(args.first()));
    }
    CliParser parser(QStringLiteral("intake token"));
    parser.addFlag(QStringLiteral("rotate"));
    if (const QString e = parser.parse(args.mid(1), 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    ListenerSettingsStore settings(&session.database());
    Result<QString> token =
        parser.isSet(QStringLiteral("rotate")) ? settings.rotateToken() : settings.token();
    if (!token)
        return CliOutput::fail(token.error());
    CliOutput::print(token.value());
    return int(ExitCode::Success);
}

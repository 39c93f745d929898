#include "cli_projects.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "io/label_studio_json.h"

#include <QJsonArray>
#include <QJsonObject>

QString CliProjects::usage()
{
    return tr("Projects:\n"
              "  projects add TITLE        prints the new project's id\n"
              "  projects list [--json]\n");
}

int CliProjects::run(CliSession &session, const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("add"))
        return add(session, args.mid(1));
    if (sub == QLatin1String("list"))
        return list(session, args.mid(1));
    CliParser parser(QStringLiteral("projects"));
    if (sub.isEmpty())
        return parser.usageError(tr("Name what to do: add or list."));
    return parser.usageError(tr("There is no command \"projects %1\".").arg(sub));
}

int CliProjects::list(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("projects list"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<Project>> projects = session.store().projects();
    if (!projects)
        return CliOutput::fail(projects.error());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const Project &project : projects.value()) {
            list.append(QJsonObject{
                {QStringLiteral("id"), project.id},
                {QStringLiteral("title"), project.title},
                {QStringLiteral("created_at"), LabelStudioJson::formatTime(project.createdAt)},
            });
        }
        CliOutput::printJson(list);
        return int(ExitCode::Success);
    }
    if (projects->isEmpty()) {
        CliOutput::print(tr("No projects yet. Add one with: %1 projects add TITLE")
                             .arg(QCoreApplication::applicationName()));
        return int(ExitCode::Success);
    }
    QList<QStringList> rows;
    for (const Project &project : projects.value())
        rows.append({QString::number(project.id), LabelStudioJson::formatTime(project.createdAt),
                     project.title});
    CliOutput::print(CliOutput::table({tr("ID"), tr("CREATED"), tr("TITLE")}, rows));
    return int(ExitCode::Success);
}

int CliProjects::add(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("projects add"));
    if (const QString e = parser.parse(args, 1, 1, tr("a TITLE")); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Project> added = session.store().addProject(parser.arguments().first());
    if (!added)
        return CliOutput::fail(added.error());
    CliOutput::print(QString::number(added->id));
    return int(ExitCode::Success);
}

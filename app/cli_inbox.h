#pragma once

#include "domain/inbox.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

class CliSession;

// "inbox set|list|show|clear": the local inbox that the listener serves at
// POST /inbox/NAME: how it answers, and what it received.
class CliInbox final
{
    Q_DECLARE_TR_FUNCTIONS(CliInbox)

public:
    static constexpr int DefaultLimit = 50;

    static QString usage();
    static int run(CliSession &session, const QStringList &args);

    // One received request as --json shows it (headers are masked when stored).
    static QJsonObject toJson(const InboxRequest &request);

private:
    static int set(CliSession &session, const QStringList &args);
    static int list(CliSession &session, const QStringList &args);
    static int show(CliSession &session, const QStringList &args);
    static int clear(CliSession &session, const QStringList &args);
};

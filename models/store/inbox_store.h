#pragma once

#include "domain/inbox.h"
#include "inbox/signature_verifier.h"
#include "storage_error.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

class Database;

// The local inbox in the shared file: how each inbox answers, and the
// requests it received. Growth is bounded: each inbox keeps its newest
// MaxRequestsPerInbox requests, older ones are deleted as new ones arrive
// (in the same transaction), and each body is stored up to 1 MB.
class InboxStore final
{
    Q_DECLARE_TR_FUNCTIONS(InboxStore)
    Q_DISABLE_COPY_MOVE(InboxStore)

public:
    static constexpr int MaxRequestsPerInbox = 500;

    explicit InboxStore(Database *database);

    // The inbox's settings; the defaults when it was never set.
    Result<InboxSettings> settings(const QString &name) const;
    // Validated first; nothing is written when a value is wrong.
    Status saveSettings(const InboxSettings &settings);
    // An empty string, or what is wrong with the settings, in words.
    static QString checkSettings(const InboxSettings &settings);

    // The secrets of the hooks whose URL points at this inbox (a loopback
    // host, any port, path exactly /inbox/NAME), then the inbox's own.
    Result<QList<InboxSecret>> secretsFor(const QString &name) const;

    // Stores the request (body cut to 1 MB) and drops the inbox's oldest
    // beyond MaxRequestsPerInbox. Returns the new id.
    Result<qint64> addRequest(const InboxRequest &request);

    // Newest first: `limit` requests older than `beforeId` (0: from the
    // newest), of one inbox or, with an empty name, of all. Without details
    // headers and body are left empty.
    Result<QList<InboxRequest>> requests(const QString &inbox, qint64 beforeId, int limit,
                                         bool withDetails = false) const;
    // Newest first, every request newer than afterId (up to `limit`).
    Result<QList<InboxRequest>> requestsNewerThan(const QString &inbox, qint64 afterId,
                                                  int limit) const;
    // How many requests with fromId <= id <= toId there are.
    Result<qint64> countBetween(const QString &inbox, qint64 fromId, qint64 toId) const;
    Result<InboxRequest> request(qint64 id) const;
    // Names of the inboxes that were set or received something, sorted.
    Result<QStringList> inboxNames() const;
    // Deletes the inbox's requests; returns how many. Waits at most
    // lockWaitMs for another writer (the window passes a short wait).
    Result<int> clear(const QString &name, int lockWaitMs = -1);

    // Whether a URL's host is this machine.
    static bool isLoopbackHost(const QString &host);

private:
    Database *m_database;
};

#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>

// Which failures a hook retries: "network" (DNS, refused, reset, TLS,
// protocol), "timeout", status codes ("429") and classes ("5xx"). Anything
// else fails the delivery at once.
class RetryOn final
{
    Q_DECLARE_TR_FUNCTIONS(RetryOn)

public:
    static QString defaultKey() { return QStringLiteral("network,timeout,408,425,429,5xx"); }

    RetryOn(); // the default list
    // "network, timeout,5XX" -> "network,timeout,5xx"; empty text is the
    // default. On error returns nothing and sets *error, naming the item.
    static std::optional<RetryOn> parse(const QString &text, QString *error);

    // The normalized list, comma-joined.
    QString key() const { return m_items.join(QLatin1Char(',')); }
    const QStringList &items() const { return m_items; }

    // errorKind as DeliveryTrace::errorKind() names it; statusCode when "http".
    bool covers(const QString &errorKind, int statusCode) const;
    // "401" or "a network error (refused)": how the trace names a failure.
    static QString describe(const QString &errorKind, int statusCode);

private:
    QStringList m_items;
};

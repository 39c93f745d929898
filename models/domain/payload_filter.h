#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

// A hook's filter: a JSON object matched against the body as it is sent.
// Keys are dotted paths into the body ("annotation.ground_truth",
// "tasks.0.id"); a plain value means equal; an object of operators ($eq $neq
// $in $nin $gt $gte $lt $lte $exists $regex) tests the value at the path;
// "$and", "$or" (lists of filters) and "$not" (a filter) combine them. All
// keys of one object must hold. A list value at the path matches $eq, $in and
// $regex when any of its elements does (the "choices" example).
class PayloadFilter final
{
    Q_DECLARE_TR_FUNCTIONS(PayloadFilter)

public:
    static constexpr int MaxDepth = 32;
    static constexpr int MaxConditions = 1000;
    static constexpr qsizetype MaxTextBytes = 64 * 1024;

    // An empty filter: matches everything.
    PayloadFilter();

    // Parses JSON text; an empty or blank text is the empty filter. On error
    // returns nothing and sets *error to a message naming the path and operator.
    static std::optional<PayloadFilter> parse(const QByteArray &json, QString *error);
    static std::optional<PayloadFilter> fromObject(const QJsonObject &object, QString *error);
    // Empty when the text is a valid filter, else what is wrong with it.
    static QString check(const QString &json);

    bool isEmpty() const { return !m_root; }
    int conditionCount() const { return m_conditions; }

    // Empty when `body` matches; otherwise the condition that failed, in
    // words: "annotation.ground_truth is false".
    std::optional<QString> mismatch(const QJsonObject &body) const;
    bool matches(const QJsonObject &body) const { return !mismatch(body); }

    // The body's value at a dotted path, or undefined when the path is missing.
    static QJsonValue valueAt(const QJsonValue &root, const QStringList &path);

    struct Node;

private:
    std::shared_ptr<const Node> m_root; // immutable, so copies share it
    int m_conditions = 0;
};

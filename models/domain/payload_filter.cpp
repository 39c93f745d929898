#include "payload_filter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <vector>

struct PayloadFilter::Node
{
    enum class Kind { All, Any, Not, Test };
    enum class Op { Eq, Neq, In, Nin, Gt, Gte, Lt, Lte, Exists, Regex };

    Kind kind = Kind::All;
    std::vector<Node> children; // All, Any; Not has one
    QJsonObject source;         // Not: the negated filter, for its description
    QString pathText;
    QStringList path;
    Op op = Op::Eq;
    QJsonValue operand;
    QRegularExpression regex;
};

namespace {

using Node = PayloadFilter::Node;

struct OpName
{
    const char *name;
    Node::Op op;
};

constexpr OpName Ops[] = {
    {"$eq", Node::Op::Eq},       {"$neq", Node::Op::Neq}, {"$in", Node::Op::In},
    {"$nin", Node::Op::Nin},     {"$gt", Node::Op::Gt},   {"$gte", Node::Op::Gte},
    {"$lt", Node::Op::Lt},       {"$lte", Node::Op::Lte}, {"$exists", Node::Op::Exists},
    {"$regex", Node::Op::Regex},
};

std::optional<Node::Op> opFromName(const QString &name)
{
    for (const OpName &o : Ops) {
        if (name == QLatin1String(o.name))
            return o.op;
    }
    return std::nullopt;
}

bool isOperatorObject(const QJsonObject &object)
{
    if (object.isEmpty())
        return false;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.key().startsWith(QLatin1Char('$')))
            return false;
    }
    return true;
}

bool hasOperatorKey(const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().startsWith(QLatin1Char('$')))
            return true;
    }
    return false;
}

bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    return a == b;
}

// A list at the path matches when one of its elements does.
bool equalsOrContains(const QJsonValue &actual, const QJsonValue &wanted)
{
    if (sameValue(actual, wanted))
        return true;
    if (actual.isArray() && !wanted.isArray()) {
        const QJsonArray array = actual.toArray();
        for (const QJsonValue &element : array) {
            if (sameValue(element, wanted))
                return true;
        }
    }
    return false;
}

bool isIn(const QJsonValue &actual, const QJsonValue &list)
{
    const QJsonArray array = list.toArray();
    for (const QJsonValue &wanted : array) {
        if (equalsOrContains(actual, wanted))
            return true;
    }
    return false;
}

// -1, 0, 1, or nothing when the two cannot be ordered (different types).
std::optional<int> order(const QJsonValue &actual, const QJsonValue &bound)
{
    if (actual.isDouble() && bound.isDouble()) {
        const double a = actual.toDouble();
        const double b = bound.toDouble();
        if (a != a || b != b) // NaN orders with nothing
            return std::nullopt;
        return a < b ? -1 : (a > b ? 1 : 0);
    }
    if (actual.isString() && bound.isString()) {
        const int c = actual.toString().compare(bound.toString());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
}

bool regexMatches(const QRegularExpression &regex, const QJsonValue &actual)
{
    if (actual.isString())
        return regex.match(actual.toString()).hasMatch();
    if (actual.isArray()) {
        const QJsonArray array = actual.toArray();
        for (const QJsonValue &element : array) {
            if (element.isString() && regex.match(element.toString()).hasMatch())
                return true;
        }
    }
    return false;
}

bool test(const Node &node, const QJsonObject &body)
{
    switch (node.kind) {
    case Node::Kind::All:
        for (const Node &child : node.children) {
            if (!test(child, body))
                return false;
        }
        return true;
    case Node::Kind::Any:
        for (const Node &child : node.children) {
            if (test(child, body))
                return true;
        }
        return false;
    case Node::Kind::Not:
        return !test(node.children.front(), body);
    case Node::Kind::Test:
        break;
    }
    const QJsonValue actual = PayloadFilter::valueAt(body, node.path);
    switch (node.op) {
    case Node::Op::Eq:
        return equalsOrContains(actual, node.operand);
    case Node::Op::Neq:
        return !equalsOrContains(actual, node.operand);
    case Node::Op::In:
        return isIn(actual, node.operand);
    case Node::Op::Nin:
        return !isIn(actual, node.operand);
    case Node::Op::Gt:
        return order(actual, node.operand) == 1;
    case Node::Op::Gte: {
        const std::optional<int> o = order(actual, node.operand);
        return o && *o >= 0;
    }
    case Node::Op::Lt:
        return order(actual, node.operand) == -1;
    case Node::Op::Lte: {
        const std::optional<int> o = order(actual, node.operand);
        return o && *o <= 0;
    }
    case Node::Op::Exists:
        return actual.isUndefined() != node.operand.toBool();
    case Node::Op::Regex:
        return regexMatches(node.regex, actual);
    }
    return false;
}

QString compact(const QJsonValue &value)
{
    QString text;
    if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else if (value.isObject())
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    else // a scalar: wrap it, and take the element back out
        text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
                   .mid(1)
                   .chopped(1);
    constexpr qsizetype Max = 80;
    if (text.size() > Max)
        text = text.left(Max - 1) + QChar(0x2026);
    return text;
}

class Parser
{
    Q_DECLARE_TR_FUNCTIONS(PayloadFilter)

public:
    std::optional<Node> filter(const QJsonObject &object, int depth);
    int conditions = 0;
    QString error;

private:
    std::optional<Node> field(const QString &pathText, const QJsonValue &value);
    std::optional<Node> operation(const QString &pathText, const QStringList &path,
                                  const QString &name, const QJsonValue &operand);
    bool count();
};

bool Parser::count()
{
    if (++conditions > PayloadFilter::MaxConditions) {
        error = tr("The filter has more than %1 conditions.").arg(PayloadFilter::MaxConditions);
        return false;
    }
    return true;
}

std::optional<Node> Parser::filter(const QJsonObject &object, int depth)
{
    if (depth > PayloadFilter::MaxDepth) {
        error = tr("The filter is nested more than %1 levels deep.").arg(PayloadFilter::MaxDepth);
        return std::nullopt;
    }
    Node all;
    all.kind = Node::Kind::All;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("$and") || key == QLatin1String("$or")) {
            const QJsonArray list = value.toArray();
            if (!value.isArray() || list.isEmpty()) {
                error = tr("%1 takes a non-empty list of filters.").arg(key);
                return std::nullopt;
            }
            Node combined;
            combined.kind = key == QLatin1String("$and") ? Node::Kind::All : Node::Kind::Any;
            for (const QJsonValue &element : list) {
                if (!element.isObject()) {
                    error = tr("%1 takes a list of filters (JSON objects); %2 is not one.")
                                .arg(key, compact(element));
                    return std::nullopt;
                }
                std::optional<Node> child = filter(element.toObject(), depth + 1);
                if (!child)
                    return std::nullopt;
                combined.children.push_back(std::move(*child));
            }
            if (!count())
                return std::nullopt;
            all.children.push_back(std::move(combined));
        } else if (key == QLatin1String("$not")) {
            if (!value.isObject()) {
                error = tr("$not takes a filter (a JSON object).");
                return std::nullopt;
            }
            std::optional<Node> child = filter(value.toObject(), depth + 1);
            if (!child)
                return std::nullopt;
            Node negated;
            negated.kind = Node::Kind::Not;
            negated.source = value.toObject();
            negated.children.push_back(std::move(*child));
            if (!count())
                return std::nullopt;
            all.children.push_back(std::move(negated));
        } else if (key.startsWith(QLatin1Char('$'))) {
            if (opFromName(key))
                error = tr("%1 needs a path: write {\"some.path\": {\"%1\": …}}.").arg(key);
            else
                error = tr("Unknown operator %1; the filter combines with $and, $or and $not.")
                            .arg(key);
            return std::nullopt;
        } else {
            std::optional<Node> child = field(key, value);
            if (!child)
                return std::nullopt;
            all.children.push_back(std::move(*child));
        }
    }
    if (all.children.size() == 1) {
        Node only = std::move(all.children.front());
        return only;
    }
    return all;
}

std::optional<Node> Parser::field(const QString &pathText, const QJsonValue &value)
{
    const QStringList path = pathText.split(QLatin1Char('.'));
    for (const QString &segment : path) {
        if (segment.isEmpty()) {
            error = tr("%1: a path is names and list indexes joined by dots, without empty parts.")
                        .arg(pathText);
            return std::nullopt;
        }
    }
    if (path.size() > PayloadFilter::MaxDepth) {
        error =
            tr("%1: the path is longer than %2 parts.").arg(pathText).arg(PayloadFilter::MaxDepth);
        return std::nullopt;
    }
    if (value.isObject() && isOperatorObject(value.toObject())) {
        const QJsonObject ops = value.toObject();
        Node all;
        all.kind = Node::Kind::All;
        for (auto it = ops.begin(); it != ops.end(); ++it) {
            std::optional<Node> one = operation(pathText, path, it.key(), it.value());
            if (!one)
                return std::nullopt;
            all.children.push_back(std::move(*one));
        }
        if (all.children.size() == 1) {
            Node only = std::move(all.children.front());
            return only;
        }
        return all;
    }
    if (value.isObject() && hasOperatorKey(value.toObject())) {
        error = tr("%1: an object mixes operators ($…) and plain keys; use one or the other.")
                    .arg(pathText);
        return std::nullopt;
    }
    return operation(pathText, path, QStringLiteral("$eq"), value);
}

std::optional<Node> Parser::operation(const QString &pathText, const QStringList &path,
                                      const QString &name, const QJsonValue &operand)
{
    const std::optional<Node::Op> op = opFromName(name);
    if (!op) {
        error = tr("%1: unknown operator %2; use $eq, $neq, $in, $nin, $gt, $gte, $lt, $lte, "
                   "$exists or $regex.")
                    .arg(pathText, name);
        return std::nullopt;
    }
    Node node;
    node.kind = Node::Kind::Test;
    node.pathText = pathText;
    node.path = path;
    node.op = *op;
    node.operand = operand;
    switch (*op) {
    case Node::Op::Eq:
    case Node::Op::Neq:
        break;
    case Node::Op::In:
    case Node::Op::Nin:
        if (!operand.isArray()) {
            error = tr("%1: %2 takes a list of values.").arg(pathText, name);
            return std::nullopt;
        }
        break;
    case Node::Op::Gt:
    case Node::Op::Gte:
    case Node::Op::Lt:
    case Node::Op::Lte:
        if (!operand.isDouble() && !operand.isString()) {
            error = tr("%1: %2 takes a number or a string.").arg(pathText, name);
            return std::nullopt;
        }
        break;
    case Node::Op::Exists:
        if (!operand.isBool()) {
            error = tr("%1: $exists takes true or false.").arg(pathText);
            return std::nullopt;
        }
        break;
    case Node::Op::Regex:
        if (!operand.isString()) {
            error = tr("%1: $regex takes a regular expression as a string.").arg(pathText);
            return std::nullopt;
        }
        node.regex = QRegularExpression(operand.toString());
        if (!node.regex.isValid()) {
            error = tr("%1: $regex is not a valid regular expression: %2.")
                        .arg(pathText, node.regex.errorString());
            return std::nullopt;
        }
        break;
    }
    if (!count())
        return std::nullopt;
    return node;
}

class Explainer
{
    Q_DECLARE_TR_FUNCTIONS(PayloadFilter)

public:
    // Why `node` does not hold for `body` (it must not).
    static QString why(const Node &node, const QJsonObject &body);
};

QString Explainer::why(const Node &node, const QJsonObject &body)
{
    switch (node.kind) {
    case Node::Kind::All:
        for (const Node &child : node.children) {
            if (!test(child, body))
                return why(child, body);
        }
        return {};
    case Node::Kind::Any: {
        QStringList reasons;
        for (const Node &child : node.children)
            reasons.append(why(child, body));
        return tr("none of $or holds (%1)").arg(reasons.join(QStringLiteral("; ")));
    }
    case Node::Kind::Not:
        return tr("$not %1 holds").arg(compact(node.source));
    case Node::Kind::Test:
        break;
    }
    const QJsonValue actual = PayloadFilter::valueAt(body, node.path);
    const QString path = node.pathText;
    if (actual.isUndefined() && node.op != Node::Op::Exists)
        return tr("%1 is missing").arg(path);
    const QString is = compact(actual);
    const QString bound = compact(node.operand);
    switch (node.op) {
    case Node::Op::Eq:
    case Node::Op::Neq:
        return tr("%1 is %2").arg(path, is);
    case Node::Op::In:
        return tr("%1 is %2, not one of %3").arg(path, is, bound);
    case Node::Op::Nin:
        return tr("%1 is %2, one of %3").arg(path, is, bound);
    case Node::Op::Gt:
        return tr("%1 is %2, not greater than %3").arg(path, is, bound);
    case Node::Op::Gte:
        return tr("%1 is %2, less than %3").arg(path, is, bound);
    case Node::Op::Lt:
        return tr("%1 is %2, not less than %3").arg(path, is, bound);
    case Node::Op::Lte:
        return tr("%1 is %2, greater than %3").arg(path, is, bound);
    case Node::Op::Exists:
        return node.operand.toBool() ? tr("%1 is missing").arg(path)
                                     : tr("%1 exists (it is %2)").arg(path, is);
    case Node::Op::Regex:
        return tr("%1 is %2, which does not match %3").arg(path, is, bound);
    }
    return {};
}

} // namespace

PayloadFilter::PayloadFilter() = default;

std::optional<PayloadFilter> PayloadFilter::parse(const QByteArray &json, QString *error)
{
    if (json.trimmed().isEmpty())
        return PayloadFilter();
    if (json.size() > MaxTextBytes) {
        *error = tr("The filter is longer than %1 KiB.").arg(MaxTextBytes / 1024);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("The filter is not valid JSON: %1 at character %2.")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = tr("The filter must be a JSON object, e.g. {\"annotation.ground_truth\": true}.");
        return std::nullopt;
    }
    return fromObject(document.object(), error);
}

std::optional<PayloadFilter> PayloadFilter::fromObject(const QJsonObject &object, QString *error)
{
    PayloadFilter result;
    if (object.isEmpty())
        return result;
    Parser parser;
    std::optional<Node> root = parser.filter(object, 0);
    if (!root) {
        *error = parser.error;
        return std::nullopt;
    }
    result.m_root = std::make_shared<const Node>(std::move(*root));
    result.m_conditions = parser.conditions;
    return result;
}

QString PayloadFilter::check(const QString &json)
{
    QString error;
    if (!parse(json.toUtf8(), &error))
        return error;
    return {};
}

std::optional<QString> PayloadFilter::mismatch(const QJsonObject &body) const
{
    if (!m_root || test(*m_root, body))
        return std::nullopt;
    return Explainer::why(*m_root, body);
}

QJsonValue PayloadFilter::valueAt(const QJsonValue &root, const QStringList &path)
{
    QJsonValue current = root;
    for (const QString &segment : path) {
        if (current.isObject()) {
            current = current.toObject().value(segment);
        } else if (current.isArray()) {
            bool ok = false;
            const int index = segment.toInt(&ok);
            const QJsonArray array = current.toArray();
            if (!ok || index < 0 || index >= array.size() || segment.startsWith(QLatin1Char('+')))
                return QJsonValue(QJsonValue::Undefined);
            current = array.at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
        if (current.isUndefined())
            return current;
    }
    return current;
}

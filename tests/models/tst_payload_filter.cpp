#include "domain/payload_filter.h"

#include <QJsonDocument>
#include <QTest>

class TestPayloadFilter : public QObject
{
    Q_OBJECT

private slots:
    void matching_data();
    void matching();
    void invalid_data();
    void invalid();
    void emptyFilterMatchesEverything();
    void valueAt();
};

namespace {

QJsonObject annotationBody()
{
    return QJsonDocument::fromJson(R"({
        "action": "ANNOTATION_CREATED",
        "project": {"id": 7, "title": "Cars"},
        "annotation": {"id": 41, "ground_truth": true, "lead_time": 12.5,
                       "created_at": "2026-11-30T10:00:00Z", "completed_by": null,
                       "result": [{"value": {"choices": ["Car"]}}]},
        "task": {"id": 3, "data": {"label": "Car", "image": "s3://bucket/car-1.jpg"}},
        "tasks": [{"id": 10}, {"id": 11}]
    })")
        .object();
}

} // namespace

void TestPayloadFilter::matching_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("matches");
    QTest::addColumn<QString>("why"); // the failing condition, when it does not match

    QTest::newRow("plain value equal") << R"({"annotation.ground_truth": true})" << true << "";
    QTest::newRow("plain value different")
        << R"({"annotation.ground_truth": false})" << false << "annotation.ground_truth is true";
    QTest::newRow("the issue's example")
        << R"({"annotation.ground_truth": true, "annotation.result.0.value.choices": {"$in": ["Car", "Bus"]}})"
        << true << "";
    QTest::newRow("$in misses")
        << R"({"annotation.result.0.value.choices": {"$in": ["Bus", "Truck"]}})" << false
        << R"(annotation.result.0.value.choices is ["Car"], not one of ["Bus","Truck"])";
    QTest::newRow("action and project are in the body")
        << R"({"action": "ANNOTATION_CREATED", "project.id": 7})" << true << "";
    QTest::newRow("list index") << R"({"tasks.1.id": 11})" << true << "";
    QTest::newRow("index past the end")
        << R"({"tasks.2.id": 11})" << false << "tasks.2.id is missing";
    QTest::newRow("integer equals double") << R"({"task.id": 3.0})" << true << "";
    QTest::newRow("$eq object")
        << R"({"task.data": {"$eq": {"label": "Car", "image": "s3://bucket/car-1.jpg"}}})" << true
        << "";
    QTest::newRow("plain object is equality")
        << R"({"project": {"id": 7, "title": "Cars"}})" << true << "";
    QTest::newRow("$neq") << R"({"task.data.label": {"$neq": "Car"}})" << false
                          << R"(task.data.label is "Car")";
    QTest::newRow("$neq missing holds") << R"({"task.data.colour": {"$neq": "red"}})" << true << "";
    QTest::newRow("$nin") << R"({"task.data.label": {"$nin": ["Bus"]}})" << true << "";
    QTest::newRow("$nin fails") << R"({"task.data.label": {"$nin": ["Car", "Bus"]}})" << false
                                << R"(task.data.label is "Car", one of ["Car","Bus"])";
    QTest::newRow("$gt") << R"({"annotation.lead_time": {"$gt": 10}})" << true << "";
    QTest::newRow("$gt fails") << R"({"annotation.lead_time": {"$gt": 12.5}})" << false
                               << "annotation.lead_time is 12.5, not greater than 12.5";
    QTest::newRow("$gte") << R"({"annotation.lead_time": {"$gte": 12.5}})" << true << "";
    QTest::newRow("$lt") << R"({"annotation.id": {"$lt": 41}})" << false
                         << "annotation.id is 41, not less than 41";
    QTest::newRow("$lte range") << R"({"annotation.id": {"$gte": 40, "$lte": 41}})" << true << "";
    QTest::newRow("string order (ISO dates)")
        << R"({"annotation.created_at": {"$gte": "2026-11-01"}})" << true << "";
    QTest::newRow("number against string never orders")
        << R"({"annotation.created_at": {"$gt": 5}})" << false
        << R"(annotation.created_at is "2026-11-30T10:00:00Z", not greater than 5)";
    QTest::newRow("$exists") << R"({"annotation.completed_by": {"$exists": true}})" << true << "";
    QTest::newRow("$exists false")
        << R"({"annotation.reviewer": {"$exists": false}})" << true << "";
    QTest::newRow("$exists fails") << R"({"annotation.reviewer": {"$exists": true}})" << false
                                   << "annotation.reviewer is missing";
    QTest::newRow("$exists false fails")
        << R"({"task.id": {"$exists": false}})" << false << "task.id exists (it is 3)";
    QTest::newRow("$regex") << R"({"task.data.image": {"$regex": "^s3://bucket/"}})" << true << "";
    QTest::newRow("$regex on a list")
        << R"({"annotation.result.0.value.choices": {"$regex": "^C"}})" << true << "";
    QTest::newRow("$regex fails")
        << R"({"task.data.image": {"$regex": "\\.png$"}})" << false
        << R"(task.data.image is "s3://bucket/car-1.jpg", which does not match "\\.png$")";
    QTest::newRow("$or") << R"({"$or": [{"task.data.label": "Bus"}, {"task.id": 3}]})" << true
                         << "";
    QTest::newRow("$or fails") << R"({"$or": [{"task.data.label": "Bus"}, {"task.id": 4}]})"
                               << false
                               << R"(none of $or holds (task.data.label is "Car"; task.id is 3))";
    QTest::newRow("$and") << R"({"$and": [{"task.id": 3}, {"project.id": 8}]})" << false
                          << "project.id is 7";
    QTest::newRow("$not") << R"({"$not": {"task.data.label": "Bus"}})" << true << "";
    QTest::newRow("$not fails") << R"({"$not": {"task.data.label": "Car"}})" << false
                                << R"($not {"task.data.label":"Car"} holds)";
    QTest::newRow("path through a scalar")
        << R"({"task.id.value": 1})" << false << "task.id.value is missing";
    QTest::newRow("first failing of several")
        << R"({"annotation.ground_truth": true, "task.id": 9})" << false << "task.id is 3";
}

void TestPayloadFilter::matching()
{
    QFETCH(QString, filter);
    QFETCH(bool, matches);
    QFETCH(QString, why);
    QString error;
    const std::optional<PayloadFilter> parsed = PayloadFilter::parse(filter.toUtf8(), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->matches(annotationBody()), matches);
    QCOMPARE(parsed->mismatch(annotationBody()).value_or(QString()), why);
}

void TestPayloadFilter::invalid_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("error"); // a part of the message

    QTest::newRow("not JSON") << "{\"a\": "
                              << "not valid JSON";
    QTest::newRow("not an object") << "[1, 2]"
                                   << "must be a JSON object";
    QTest::newRow("unknown operator") << R"({"annotation.id": {"$like": 3}})"
                                      << "annotation.id: unknown operator $like";
    QTest::newRow("$in needs a list") << R"({"task.id": {"$in": 3}})"
                                      << "task.id: $in takes a list";
    QTest::newRow("$nin needs a list") << R"({"task.id": {"$nin": "a"}})"
                                       << "task.id: $nin takes a list";
    QTest::newRow("$gt needs a number or string") << R"({"task.id": {"$gt": [1]}})"
                                                  << "task.id: $gt takes a number or a string";
    QTest::newRow("$exists needs a bool") << R"({"task.id": {"$exists": 1}})"
                                          << "task.id: $exists takes true or false";
    QTest::newRow("$regex invalid") << R"({"task.data.label": {"$regex": "("}})"
                                    << "task.data.label: $regex is not a valid";
    QTest::newRow("$regex needs a string") << R"({"task.data.label": {"$regex": 5}})"
                                           << "task.data.label: $regex takes";
    QTest::newRow("empty path part") << R"({"task..id": 1})"
                                     << "task..id: a path";
    QTest::newRow("operator at the top") << R"({"$gt": 1})"
                                         << "$gt needs a path";
    QTest::newRow("unknown combinator") << R"({"$nor": []})"
                                        << "Unknown operator $nor";
    QTest::newRow("$or empty") << R"({"$or": []})"
                               << "$or takes a non-empty list";
    QTest::newRow("$and of scalars") << R"({"$and": [1]})"
                                     << "$and takes a list of filters";
    QTest::newRow("$not of a list") << R"({"$not": [1]})"
                                    << "$not takes a filter";
    QTest::newRow("mixed operators and keys") << R"({"task": {"$eq": 1, "id": 3}})"
                                              << "task: an object mixes operators";
    QTest::newRow("nested error names the path")
        << R"({"$or": [{"a": 1}, {"b.c": {"$lte": null}}]})"
        << "b.c: $lte takes";
    QString deep = QStringLiteral("{\"a\": 1}");
    for (int i = 0; i < PayloadFilter::MaxDepth + 2; ++i)
        deep = QStringLiteral("{\"$not\": ") + deep + QLatin1Char('}');
    QTest::newRow("too deep") << deep << "nested more than";
}

void TestPayloadFilter::invalid()
{
    QFETCH(QString, filter);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!PayloadFilter::parse(filter.toUtf8(), &message));
    QVERIFY2(message.contains(error), qPrintable(message));
    QCOMPARE(PayloadFilter::check(filter), message);
}

void TestPayloadFilter::emptyFilterMatchesEverything()
{
    QString error;
    for (const char *text : {"", "  ", "{}"}) {
        const std::optional<PayloadFilter> filter = PayloadFilter::parse(text, &error);
        QVERIFY(filter);
        QVERIFY(filter->isEmpty());
        QVERIFY(filter->matches({}));
        QVERIFY(filter->matches(annotationBody()));
    }
    const std::optional<PayloadFilter> five = PayloadFilter::parse(
        R"({"a": 1, "b": {"$in": [1]}, "c": {"$gt": 1, "$lt": 3}, "$not": {"d": 1}})", &error);
    QVERIFY(five);
    QCOMPARE(five->conditionCount(), 6); // a, $in, $gt, $lt, d, $not
}

void TestPayloadFilter::valueAt()
{
    const QJsonObject body = annotationBody();
    QCOMPARE(PayloadFilter::valueAt(
                 body, {QStringLiteral("tasks"), QStringLiteral("0"), QStringLiteral("id")}),
             QJsonValue(10));
    QVERIFY(PayloadFilter::valueAt(body, {QStringLiteral("tasks"), QStringLiteral("-1")})
                .isUndefined());
    QVERIFY(PayloadFilter::valueAt(body, {QStringLiteral("tasks"), QStringLiteral("+1")})
                .isUndefined());
    QVERIFY(
        PayloadFilter::valueAt(body, {QStringLiteral("annotation"), QStringLiteral("completed_by")})
            .isNull());
}

QTEST_GUILESS_MAIN(TestPayloadFilter)
#include "tst_payload_filter.moc"

#pragma once

#include <QString>

// One kind of event a hook can subscribe to (Label Studio calls them actions).
struct EventType
{
    QString key;  // UPPER_SNAKE_CASE, e.g. ANNOTATION_CREATED
    QString name; // display name
    QString description;
    QString payloadKey;  // key of the payload in the request body
    bool isList = false; // the payload is a JSON array
    bool organizationOnly = false;
    QString group; // untranslated group name: Project, Tasks, Annotations, Label links, Custom
    bool builtIn = true;

    friend bool operator==(const EventType &, const EventType &) = default;
};

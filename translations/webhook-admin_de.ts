<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AttemptDetails</name>
    <message>
        <source>Trace</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>Anfrage-Header</translation>
    </message>
    <message>
        <source>Request body</source>
        <translation>Anfrage-Body</translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation>Antwort-Header</translation>
    </message>
    <message>
        <source>Response body</source>
        <translation>Antwort-Body</translation>
    </message>
    <message>
        <source>(truncated to 64 KiB)</source>
        <translation>(gekürzt auf 64 KiB)</translation>
    </message>
    <message>
        <source>POST %1</source>
        <extracomment>The request line: method and URL</extracomment>
        <translation>POST %1</translation>
    </message>
    <message>
        <source>Not sent yet; due %1. The headers are recorded when it is sent.</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>Noch nicht gesendet; fällig %1. Die Header werden beim Senden aufgezeichnet.</translation>
    </message>
    <message>
        <source>No body</source>
        <translation>Kein Body</translation>
    </message>
    <message>
        <source>No response yet.</source>
        <translation>Noch keine Antwort.</translation>
    </message>
    <message>
        <source>HTTP %1 · %2 ms</source>
        <extracomment>%1 status code, %2 milliseconds</extracomment>
        <translation>HTTP %1 · %2 ms</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <extracomment>%1 e.g. &quot;HTTP 500 Internal Server Error&quot;, %2 milliseconds</extracomment>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1 · %2 ms</source>
        <translation>%1 · %2 ms</translation>
    </message>
    <message>
        <source>No response: %1</source>
        <extracomment>%1 what went wrong, e.g. &quot;connection refused&quot;</extracomment>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <source>No response yet</source>
        <translation>Noch keine Antwort</translation>
    </message>
    <message>
        <source>The response had no body</source>
        <translation>Die Antwort hatte keinen Body</translation>
    </message>
    <message>
        <source>The trace is written when the attempt has run.</source>
        <translation>Der Verlauf wird geschrieben, wenn der Versuch gelaufen ist.</translation>
    </message>
    <message>
        <source>No trace was recorded.</source>
        <translation>Es wurde kein Verlauf aufgezeichnet.</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwort</translation>
    </message>
</context>
<context>
    <name>CliDeliveries</name>
    <message>
        <source>&quot;%1&quot; is not a webhook id.</source>
        <translation>„%1“ ist keine Webhook-ID.</translation>
    </message>
    <message>
        <source>--limit takes a positive number, not &quot;%1&quot;.</source>
        <translation>--limit erwartet eine positive Zahl, nicht „%1“.</translation>
    </message>
    <message>
        <source>No delivery attempts match.</source>
        <translation>Keine passenden Zustellversuche.</translation>
    </message>
    <message>
        <source>pending, due %1</source>
        <translation>offen, fällig %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>DELIVERY</source>
        <translation>ZUSTELLUNG</translation>
    </message>
    <message>
        <source>HOOK</source>
        <translation>WEBHOOK</translation>
    </message>
    <message>
        <source>EVENT</source>
        <translation>EREIGNIS</translation>
    </message>
    <message>
        <source>OUTCOME</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <source>DURATION</source>
        <translation>DAUER</translation>
    </message>
    <message>
        <source>ATTEMPT</source>
        <translation>VERSUCH</translation>
    </message>
    <message>
        <source>TRIGGER</source>
        <translation>AUSLÖSER</translation>
    </message>
    <message>
        <source>QUEUED</source>
        <translation>EINGEREIHT</translation>
    </message>
    <message>
        <source>--status takes ok, failed, pending or filtered, not &quot;%1&quot;.</source>
        <translation>--status erwartet ok, failed, pending oder filtered, nicht „%1“.</translation>
    </message>
    <message>
        <source>  deliveries [--status ok|failed|pending|filtered] [--hook ID] [--event KEY] [--limit N]
             [--since TIME] [--until TIME] [--json]
      The log of attempts, newest first (default: the last %1).
      TIME is ISO 8601 (2026-12-01T08:00, local time without an offset)
      or a time ago (30m, 2h, 3d); the window holds when attempts were queued.
</source>
        <translation>  deliveries [--status ok|failed|pending|filtered] [--hook ID] [--event KEY] [--limit N]
             [--since TIME] [--until TIME] [--json]
      Das Protokoll der Versuche, neueste zuerst (Standard: die letzten %1).
      TIME ist ISO 8601 (2026-12-01T08:00, ohne Versatz Ortszeit) oder
      eine Zeit zurück (30m, 2h, 3d); das Fenster gilt dafür, wann Versuche anstanden.
</translation>
    </message>
    <message>
        <source>--since must come before --until.</source>
        <translation>--since muss vor --until liegen.</translation>
    </message>
</context>
<context>
    <name>CliEmit</name>
    <message>
        <source>Deliveries:
  emit KEY [--project ID] [--data FILE|- | --jsonl FILE|-] [--queue]
      Stores the event and one delivery per matching webhook, then makes the
      first attempt of each; --queue only stores them for &quot;serve&quot; or the
      window. --data is the payload as in the body, e.g. {&quot;tasks&quot;: [...]};
      without it the event&apos;s sample payload is sent. Exit 3 if one failed.
      --jsonl stores one event per line (one payload object a line), each in
      its own transaction; at the first bad line it stops, says how many
      events were stored before it, and exits 2.
</source>
        <translation>Zustellungen:
  emit KEY [--project ID] [--data FILE|- | --jsonl FILE|-] [--queue]
      Speichert das Ereignis und je passendem Webhook eine Zustellung, dann
      jeweils den ersten Versuch; --queue speichert sie nur für „serve“ oder
      das Fenster. --data: die Nutzdaten wie im Body, z. B. {&quot;tasks&quot;: [...]};
      ohne --data gehen die Beispiel-Nutzdaten raus. Exit-Code 3 bei Fehlschlag.
      --jsonl speichert ein Ereignis pro Zeile (ein Nutzdaten-Objekt je Zeile),
      jedes in eigener Transaktion; bei der ersten fehlerhaften Zeile stoppt es,
      nennt die Zahl der zuvor gespeicherten Ereignisse, endet mit Exit-Code 2.
</translation>
    </message>
    <message>
        <source>an event KEY</source>
        <translation>einen Ereignisschlüssel (KEY)</translation>
    </message>
    <message>
        <source>--data and --jsonl cannot be used together.</source>
        <translation>--data und --jsonl können nicht zusammen verwendet werden.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a project id.</source>
        <translation>„%1“ ist keine Projekt-ID.</translation>
    </message>
    <message>
        <source>Event %1 stored; no active webhook subscribes to %2, nothing to send.</source>
        <translation>Ereignis %1 gespeichert; kein aktiver Webhook abonniert %2, nichts zu senden.</translation>
    </message>
    <message>
        <source>Event %1 stored; deliveries queued for &quot;serve&quot; or the window: %2.</source>
        <translation>Ereignis %1 gespeichert; Zustellungen für „serve“ oder das Fenster eingereiht: %2.</translation>
    </message>
    <message>
        <source>Event %1 stored; deliveries: %2.</source>
        <translation>Ereignis %1 gespeichert; Zustellungen: %2.</translation>
    </message>
    <message>
        <source>standard input</source>
        <translation>Standardeingabe</translation>
    </message>
    <message>
        <source>Cannot read standard input: %1</source>
        <translation>Die Standardeingabe kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The data file %1 does not exist.</source>
        <translation>Die Datendatei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Unknown event type %1; `events` lists them.</source>
        <translation>Unbekannter Ereignistyp %1; `events` listet sie auf.</translation>
    </message>
    <message>
        <source>%1, line %2: %3 Events stored before this line: %4; nothing after it was stored.</source>
        <extracomment>%1 the file, %2 the line number, %3 what is wrong, %4 how many events were stored</extracomment>
        <translation>%1, Zeile %2: %3 Vor dieser Zeile gespeicherte Ereignisse: %4; ab hier wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>the line is larger than %1 MB.</source>
        <translation>die Zeile ist größer als %1 MB.</translation>
    </message>
    <message>
        <source>not valid JSON: %1 at column %2.</source>
        <translation>kein gültiges JSON: %1 in Spalte %2.</translation>
    </message>
    <message>
        <source>each line must be a JSON object with the event&apos;s payload key, such as {&quot;tasks&quot;: [...]}.</source>
        <translation>jede Zeile muss ein JSON-Objekt mit dem Nutzdaten-Schlüssel des Ereignisses sein, etwa {&quot;tasks&quot;: [...]}.</translation>
    </message>
    <message>
        <source>cannot read on: %1</source>
        <translation>Weiterlesen nicht möglich: %1</translation>
    </message>
    <message>
        <source>Events stored: %1; deliveries queued for &quot;serve&quot; or the window: %2.</source>
        <translation>Gespeicherte Ereignisse: %1; Zustellungen für „serve“ oder das Fenster eingereiht: %2.</translation>
    </message>
    <message>
        <source>Events stored: %1; deliveries: %2.</source>
        <translation>Gespeicherte Ereignisse: %1; Zustellungen: %2.</translation>
    </message>
</context>
<context>
    <name>CliEvents</name>
    <message>
        <source>KEY</source>
        <translation>SCHLÜSSEL</translation>
    </message>
    <message>
        <source>GROUP</source>
        <translation>GRUPPE</translation>
    </message>
    <message>
        <source>PAYLOAD KEY</source>
        <translation>NUTZDATEN-SCHLÜSSEL</translation>
    </message>
    <message>
        <source>LIST</source>
        <translation>LISTE</translation>
    </message>
    <message>
        <source>ORG ONLY</source>
        <translation>NUR ORG.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>an event KEY</source>
        <translation>einen Ereignisschlüssel (KEY)</translation>
    </message>
    <message>
        <source>--%1 is required.</source>
        <translation>--%1 ist erforderlich.</translation>
    </message>
    <message>
        <source>Event type %1 added.</source>
        <translation>Ereignistyp %1 hinzugefügt.</translation>
    </message>
    <message>
        <source>Event types:
  events [--json]           the catalog, built-in and custom types
  events add KEY --name NAME [--description TEXT] --payload-key KEY [--list]
  events update KEY [--name NAME] [--description TEXT] [--payload-key KEY]
                [--list | --object]
                            changes a custom type; built-in types are read-only
  events delete KEY [--unsubscribe]
                            refused while webhooks subscribe to the type, unless
                            --unsubscribe removes it from their events
</source>
        <translation>Ereignistypen:
  events [--json]           der Katalog, eingebaute und eigene Typen
  events add KEY --name NAME [--description TEXT] --payload-key KEY [--list]
  events update KEY [--name NAME] [--description TEXT] [--payload-key KEY]
                [--list | --object]
                            ändert einen eigenen Typ; eingebaute sind schreibgeschützt
  events delete KEY [--unsubscribe]
                            abgelehnt, solange Webhooks den Typ abonnieren, außer
                            --unsubscribe entfernt ihn aus ihren Ereignissen
</translation>
    </message>
    <message>
        <source>Give --list or --object, not both.</source>
        <translation>Geben Sie --list oder --object an, nicht beides.</translation>
    </message>
    <message>
        <source>There is no event type %1.</source>
        <translation>Es gibt keinen Ereignistyp %1.</translation>
    </message>
    <message>
        <source>%1 is a built-in event type; it cannot be changed.</source>
        <translation>%1 ist ein eingebauter Ereignistyp; er kann nicht geändert werden.</translation>
    </message>
    <message>
        <source>Event type %1 changed.</source>
        <translation>Ereignistyp %1 geändert.</translation>
    </message>
    <message>
        <source>Webhooks subscribe to %1 (%2); nothing was deleted. Add --unsubscribe to remove it from their events too.</source>
        <translation>Webhooks abonnieren %1 (%2); nichts wurde gelöscht. Fügen Sie --unsubscribe hinzu, um ihn auch aus ihren Ereignissen zu entfernen.</translation>
    </message>
    <message>
        <source>Event type %1 deleted; webhooks unsubscribed: %2.</source>
        <translation>Ereignistyp %1 gelöscht; abgemeldete Webhooks: %2.</translation>
    </message>
    <message>
        <source>Event type %1 deleted.</source>
        <translation>Ereignistyp %1 gelöscht.</translation>
    </message>
</context>
<context>
    <name>CliHooks</name>
    <message>
        <source>There is no command &quot;hooks %1&quot;.</source>
        <translation>Es gibt keinen Befehl „hooks %1“.</translation>
    </message>
    <message>
        <source>No webhooks yet. Add one with: %1 hooks add --url URL</source>
        <translation>Noch keine Webhooks. Fügen Sie einen hinzu mit: %1 hooks add --url URL</translation>
    </message>
    <message>
        <source>project %1 (%2)</source>
        <translation>Projekt %1 (%2)</translation>
    </message>
    <message>
        <source>organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>SCOPE</source>
        <translation>BEREICH</translation>
    </message>
    <message>
        <source>EVENTS</source>
        <translation>EREIGNISSE</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>none (organization-wide)</source>
        <translation>keines (organisationsweit)</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Send payload</source>
        <translation>Nutzdaten senden</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Max attempts</source>
        <translation>Max. Versuche</translation>
    </message>
    <message>
        <source>Verify TLS</source>
        <translation>TLS prüfen</translation>
    </message>
    <message>
        <source>no (any certificate is accepted)</source>
        <translation>nein (jedes Zertifikat wird akzeptiert)</translation>
    </message>
    <message>
        <source>Consecutive failures</source>
        <translation>Fehlschläge in Folge</translation>
    </message>
    <message>
        <source>Disabled because</source>
        <translation>Deaktiviert, weil</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>a webhook ID</source>
        <translation>eine Webhook-ID</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a webhook id.</source>
        <translation>„%1“ ist keine Webhook-ID.</translation>
    </message>
    <message>
        <source>--project takes a project id or &quot;none&quot;, not &quot;%1&quot;.</source>
        <translation>--project erwartet eine Projekt-ID oder „none“, nicht „%1“.</translation>
    </message>
    <message>
        <source>--%1 takes &quot;Name: value&quot;, with a colon after the name; got &quot;%2&quot;.</source>
        <translation>--%1 erwartet „Name: Wert“ mit einem Doppelpunkt nach dem Namen; erhalten: „%2“.</translation>
    </message>
    <message>
        <source>--signature takes standard or github, not &quot;%1&quot;.</source>
        <translation>--signature erwartet standard oder github, nicht „%1“.</translation>
    </message>
    <message>
        <source>--%1 takes a whole number, not &quot;%2&quot;.</source>
        <translation>--%1 erwartet eine ganze Zahl, nicht „%2“.</translation>
    </message>
    <message>
        <source>--url is required.</source>
        <translation>--url ist erforderlich.</translation>
    </message>
    <message>
        <source>--%1 and --%2 contradict each other.</source>
        <translation>--%1 und --%2 widersprechen sich.</translation>
    </message>
    <message>
        <source>Webhook %1 is unchanged.</source>
        <translation>Webhook %1 ist unverändert.</translation>
    </message>
    <message>
        <source>Webhook %1 updated.</source>
        <translation>Webhook %1 geändert.</translation>
    </message>
    <message>
        <source>Webhook %1 removed.</source>
        <translation>Webhook %1 entfernt.</translation>
    </message>
    <message>
        <source>a FILE, or - for standard input</source>
        <translation>eine Datei (FILE) oder - für die Standardeingabe</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n webhook(s).</source>
        <translation>
            <numerusform>%n Webhook importiert.</numerusform>
            <numerusform>%n Webhooks importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n webhook(s) to %1.</source>
        <translation>
            <numerusform>%n Webhook nach %1 exportiert.</numerusform>
            <numerusform>%n Webhooks nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>http1 (HTTP/1.1 only)</source>
        <translation>http1 (nur HTTP/1.1)</translation>
    </message>
    <message>
        <source>http2 (HTTP/2 with prior knowledge)</source>
        <translation>http2 (HTTP/2 ohne Aushandlung)</translation>
    </message>
    <message>
        <source>auto (HTTP/2 where TLS offers it, else HTTP/1.1)</source>
        <translation>auto (HTTP/2, wo TLS es anbietet, sonst HTTP/1.1)</translation>
    </message>
    <message>
        <source>HTTP version</source>
        <translation>HTTP-Version</translation>
    </message>
    <message>
        <source>--http takes auto, http1 or http2, not &quot;%1&quot;.</source>
        <translation>--http erwartet auto, http1 oder http2, nicht „%1“.</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>paused (next probe in %1 s)</source>
        <translation>pausiert (nächste Probe in %1 s)</translation>
    </message>
    <message>
        <source>paused (probe due)</source>
        <translation>pausiert (Probe fällig)</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>ZUSTAND</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>(none: every event is sent)</source>
        <translation>(keiner: jedes Ereignis wird gesendet)</translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation>Ratenlimit</translation>
    </message>
    <message>
        <source>Max in flight</source>
        <translation>Max. gleichzeitig</translation>
    </message>
    <message>
        <source>(the engine&apos;s per-host limit)</source>
        <translation>(das Limit der Engine pro Host)</translation>
    </message>
    <message>
        <source>Retry on</source>
        <translation>Wiederholen bei</translation>
    </message>
    <message>
        <source>Retry schedule</source>
        <translation>Wiederholungsplan</translation>
    </message>
    <message>
        <source>(the file&apos;s schedule)</source>
        <translation>(der Plan der Datei)</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Paused because</source>
        <translation>Pausiert, weil</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>--filter: cannot read %1: %2</source>
        <translation>--filter: %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>--filter: %1</source>
        <translation>--filter: %1</translation>
    </message>
    <message>
        <source>--rate-limit takes N/s or N/min with N from 1 to %1, or none; not &quot;%2&quot;.</source>
        <translation>--rate-limit erwartet N/s oder N/min mit N von 1 bis %1, oder none; nicht „%2“.</translation>
    </message>
    <message>
        <source>--retry-on: %1</source>
        <translation>--retry-on: %1</translation>
    </message>
    <message>
        <source>--retry-schedule takes seconds before each attempt, like 0,10,60 (each at most a week, at most %1 steps), or default; not &quot;%2&quot;.</source>
        <translation>--retry-schedule erwartet Sekunden vor jedem Versuch, etwa 0,10,60 (jeweils höchstens eine Woche, höchstens %1 Schritte), oder default; nicht „%2“.</translation>
    </message>
    <message>
        <source>Webhook %1 is not paused.</source>
        <translation>Webhook %1 ist nicht pausiert.</translation>
    </message>
    <message>
        <source>Webhook %1 resumed; its waiting deliveries are due now, in order.</source>
        <translation>Webhook %1 fortgesetzt; seine wartenden Zustellungen sind jetzt fällig, der Reihe nach.</translation>
    </message>
    <message>
        <source>--last takes a number of events from 1 to 1000000, not &quot;%1&quot;.</source>
        <translation>--last erwartet eine Anzahl Ereignisse von 1 bis 1000000, nicht „%1“.</translation>
    </message>
    <message>
        <source>%1 is not a JSON object (the body as it is sent).</source>
        <translation>%1 ist kein JSON-Objekt (der Body, wie er gesendet wird).</translation>
    </message>
    <message>
        <source>The stored filter: %1</source>
        <translation>Der gespeicherte Filter: %1</translation>
    </message>
    <message>
        <source>Webhook %1 has no filter: every event is sent.</source>
        <translation>Webhook %1 hat keinen Filter: Jedes Ereignis wird gesendet.</translation>
    </message>
    <message>
        <source>Last %1 events: %2</source>
        <translation>Letzte %1 Ereignisse: %2</translation>
    </message>
    <message>
        <source>%1 sample: %2</source>
        <translation>Beispiel %1: %2</translation>
    </message>
    <message>
        <source>%1, valid until %2</source>
        <translation>%1, gültig bis %2</translation>
    </message>
    <message>
        <source>Previous secrets</source>
        <translation>Frühere Geheimnisse</translation>
    </message>
    <message>
        <source>--expire-old ends the overlap; it does not go with --overlap.</source>
        <translation>--expire-old beendet die Überlappung; es passt nicht zu --overlap.</translation>
    </message>
    <message>
        <source>--overlap &quot;%1&quot; is not a duration such as 30m, 24h or 7d (at most a year).</source>
        <translation>--overlap „%1“ ist keine Dauer wie 30m, 24h oder 7d (höchstens ein Jahr).</translation>
    </message>
    <message>
        <source>Webhook %1 signs with the secret given from now on.</source>
        <translation>Webhook %1 signiert ab jetzt mit dem angegebenen Geheimnis.</translation>
    </message>
    <message>
        <source>New signing secret of webhook %1 (shown this once; give it to the receiver):
%2</source>
        <translation>Neues Signaturgeheimnis von Webhook %1 (nur dieses eine Mal angezeigt; geben Sie es dem Empfänger):
%2</translation>
    </message>
    <message>
        <source>GitHub&apos;s X-Hub-Signature-256 has room for one signature: requests are signed with the new secret only, from now on. Update the receiver now.</source>
        <translation>X-Hub-Signature-256 von GitHub fasst nur eine Signatur: Anfragen werden ab jetzt nur mit dem neuen Geheimnis signiert. Aktualisieren Sie den Empfänger jetzt.</translation>
    </message>
    <message>
        <source>No earlier secret signs any more: receivers must use the new one now.</source>
        <translation>Kein früheres Geheimnis signiert mehr: Empfänger müssen jetzt das neue verwenden.</translation>
    </message>
    <message>
        <source>The previous secret keeps signing until %1: until then requests carry a signature for each (webhook-signature: v1,&lt;new&gt; v1,&lt;old&gt;).</source>
        <translation>Das vorige Geheimnis signiert weiter bis %1: bis dahin tragen Anfragen eine Signatur für jedes (webhook-signature: v1,&lt;neu&gt; v1,&lt;alt&gt;).</translation>
    </message>
    <message>
        <source>Name what to do: list, show, add, update, remove, resume, rotate-secret, stats, test-filter, import or export.</source>
        <translation>Geben Sie an, was zu tun ist: list, show, add, update, remove, resume, rotate-secret, stats, test-filter, import oder export.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>No webhooks yet.</source>
        <translation>Noch keine Webhooks.</translation>
    </message>
    <message>
        <source>WINDOW</source>
        <translation>FENSTER</translation>
    </message>
    <message>
        <source>DELIVERIES</source>
        <translation>ZUSTELLUNGEN</translation>
    </message>
    <message>
        <source>ATTEMPTS</source>
        <translation>VERSUCHE</translation>
    </message>
    <message>
        <source>SUCCESS</source>
        <translation>ERFOLG</translation>
    </message>
    <message>
        <source>P50</source>
        <translation>P50</translation>
    </message>
    <message>
        <source>P95</source>
        <translation>P95</translation>
    </message>
    <message>
        <source>Webhooks:
  hooks list [--json]
  hooks show ID [--json]
  hooks add --url URL [--project ID] [--event KEY]... [--header &apos;Name: value&apos;]...
            [--secret-header &apos;Name: value&apos;]... [--plain-header &apos;Name: value&apos;]...
            [--description TEXT] [--inactive]
            [--no-payload] [--secret S --signature standard|github]
            [--timeout SECONDS] [--max-attempts N] [--no-verify-tls]
            [--http auto|http1|http2] [--filter JSON|@FILE]
            [--rate-limit N/s|N/min] [--max-in-flight N] [--retry-on LIST]
            [--retry-schedule SECONDS,...]
      Prints the new webhook&apos;s id. --event turns off sending for all events.
      --header keeps a credential secret (Authorization, Proxy-Authorization,
      Cookie, X-Api-Key, names with token, secret, password or key);
      --plain-header does not.
      --no-verify-tls accepts any certificate (a self-signed test receiver).
      --http: auto (the default) uses HTTP/2 where TLS offers it, http1 never;
      http2 speaks HTTP/2 with prior knowledge, also over http (h2c): only
      for a receiver known to speak HTTP/2, or every attempt fails.
      --filter: only bodies matching this JSON filter are sent, e.g.
      &apos;{&quot;annotation.ground_truth&quot;: true}&apos;; the others are logged as filtered.
      --rate-limit: at most N requests a second or a minute (none: no limit).
      --max-in-flight: at most N requests at once (1: one after the other).
      --retry-on: which failures are retried (default
      network,timeout,408,425,429,5xx); others fail at once.
      --retry-schedule: seconds before each attempt (default: the file&apos;s).
  hooks update ID [the options of add] [--active] [--payload] [--all-events]
            [--project none] [--clear-headers] [--no-secret] [--verify-tls]
            [--no-filter]
      Changes only what is given; --header replaces a header of the same name.
  hooks remove ID
  hooks resume ID           ends a pause of the circuit breaker now
  hooks rotate-secret ID [--overlap DURATION] [--expire-old] [--secret S]
      Sets a new signing secret (generated unless --secret gives it) and
      prints it once. With Standard Webhooks the old secret keeps signing for
      the overlap (default 24h; e.g. 30m, 2h, 3d): requests carry both
      signatures. --expire-old ends every overlap at once. GitHub&apos;s header
      has room for one signature: it signs with the new secret at once.
  hooks stats [ID] [--json]
      Per hook, over 24 hours and over 7 days: deliveries, finished attempts,
      success rate, and the median (p50) and p95 duration.
  hooks test-filter ID [--data FILE] [--last N]
      Runs the hook&apos;s filter on its events&apos; sample payloads, on a body in
      FILE, or on the last N stored events of its event types.
  hooks import FILE|-       Label Studio webhook API JSON; all or nothing
  hooks export [FILE] [--include-secrets]
</source>
        <translation>Webhooks:
  hooks list [--json]
  hooks show ID [--json]
  hooks add --url URL [--project ID] [--event KEY]... [--header &apos;Name: value&apos;]...
            [--secret-header &apos;Name: value&apos;]... [--plain-header &apos;Name: value&apos;]...
            [--description TEXT] [--inactive]
            [--no-payload] [--secret S --signature standard|github]
            [--timeout SECONDS] [--max-attempts N] [--no-verify-tls]
            [--http auto|http1|http2] [--filter JSON|@FILE]
            [--rate-limit N/s|N/min] [--max-in-flight N] [--retry-on LIST]
            [--retry-schedule SECONDS,...]
      Gibt die ID des neuen Webhooks aus. --event: nicht für alle Ereignisse.
      --header hält Zugangsdaten geheim (Authorization, Proxy-Authorization,
      Cookie, X-Api-Key, Namen mit token, secret, password oder key);
      --plain-header nicht.
      --no-verify-tls akzeptiert jedes Zertifikat (selbstsignierter Empfänger).
      --http: auto (Standard) nutzt HTTP/2, wo TLS es anbietet, http1 nie;
      http2 spricht HTTP/2 ohne Aushandlung, auch über http (h2c): nur für
      Empfänger, die das sicher können, sonst schlägt jeder Versuch fehl.
      --filter: nur Bodies, auf die dieser JSON-Filter passt, werden gesendet,
      z. B. &apos;{&quot;annotation.ground_truth&quot;: true}&apos;; die anderen: gefiltert.
      --rate-limit: höchstens N Anfragen pro Sekunde oder Minute (none: kein Limit).
      --max-in-flight: höchstens N Anfragen gleichzeitig (1: nacheinander).
      --retry-on: bei welchen Fehlern wiederholt wird (Standard
      network,timeout,408,425,429,5xx); andere scheitern sofort.
      --retry-schedule: Sekunden vor jedem Versuch (Standard: der Plan der Datei).
  hooks update ID [die Optionen von add] [--active] [--payload] [--all-events]
            [--project none] [--clear-headers] [--no-secret] [--verify-tls]
            [--no-filter]
      Ändert nur das Angegebene; --header ersetzt einen gleichnamigen Header.
  hooks remove ID
  hooks resume ID           beendet eine Pause des Schutzschalters sofort
  hooks rotate-secret ID [--overlap DURATION] [--expire-old] [--secret S]
      Setzt ein neues Signaturgeheimnis (erzeugt, außer --secret gibt es an)
      und gibt es einmal aus. Bei Standard Webhooks signiert das alte Geheimnis
      während der Überlappung weiter (Standard 24h; z. B. 30m, 2h, 3d): Anfragen
      tragen beide Signaturen. --expire-old beendet jede Überlappung sofort.
      GitHubs Header fasst eine Signatur: er signiert sofort mit dem neuen.
  hooks stats [ID] [--json]
      Je Webhook über 24 Stunden und über 7 Tage: Zustellungen, beendete
      Versuche, Erfolgsquote sowie Median (p50) und p95 der Dauer.
  hooks test-filter ID [--data FILE] [--last N]
      Prüft den Filter des Webhooks an den Beispiel-Nutzdaten seiner Ereignisse,
      an einem Body in FILE oder an den letzten N gespeicherten Ereignissen.
  hooks import FILE|-       JSON der Label-Studio-Webhook-API; alles oder nichts
  hooks export [FILE] [--include-secrets]
</translation>
    </message>
</context>
<context>
    <name>CliInbox</name>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>inbox</source>
        <translation>inbox</translation>
    </message>
    <message>
        <source>status</source>
        <translation>status</translation>
    </message>
    <message>
        <source>delay_ms</source>
        <translation>delay_ms</translation>
    </message>
    <message>
        <source>body</source>
        <translation>body</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>secret</source>
        <translation>secret</translation>
    </message>
    <message>
        <source>The local inbox (POST /inbox/NAME on the listener), for trying hooks:
  inbox set NAME [--status N] [--delay-ms N] [--body JSON]
            [--secret S --signature standard|github] [--no-secret]
      How the inbox answers (default 200 {&quot;ok&quot;: true}, no delay) and its own
      secret; hooks whose URL points at it are verified with theirs.
  inbox list [--name NAME] [--limit N] [--json]
      What it received, newest first (default: the last %1), with the verdict:
      valid, invalid, stale or unsigned. Each inbox keeps its newest %2.
  inbox show ID [--json]
  inbox clear NAME
</source>
        <translation>Der lokale Posteingang (POST /inbox/NAME am Listener), zum Ausprobieren von Hooks:
  inbox set NAME [--status N] [--delay-ms N] [--body JSON]
            [--secret S --signature standard|github] [--no-secret]
      Wie der Posteingang antwortet (Standard 200 {&quot;ok&quot;: true}, ohne Verzögerung) und sein
      eigenes Secret; Hooks, deren URL auf ihn zeigt, werden mit ihrem geprüft.
  inbox list [--name NAME] [--limit N] [--json]
      Was er empfangen hat, neueste zuerst (Standard: die letzten %1), mit dem Urteil:
      valid, invalid, stale oder unsigned. Jeder Posteingang behält seine neuesten %2.
  inbox show ID [--json]
  inbox clear NAME
</translation>
    </message>
    <message>
        <source>Say what to do: set, list, show or clear.</source>
        <translation>Sagen Sie, was zu tun ist: set, list, show oder clear.</translation>
    </message>
    <message>
        <source>There is no &quot;inbox %1&quot;: use set, list, show or clear.</source>
        <translation>Es gibt kein „inbox %1“: verwenden Sie set, list, show oder clear.</translation>
    </message>
    <message>
        <source>the NAME of an inbox</source>
        <translation>den NAMEN eines Posteingangs</translation>
    </message>
    <message>
        <source>An inbox name is 1 to %1 letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; or &apos;~&apos;, not &quot;%2&quot;.</source>
        <translation>Ein Posteingangsname besteht aus 1 bis %1 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; oder &apos;~&apos;, nicht „%2“.</translation>
    </message>
    <message>
        <source>--no-secret removes the secret; it cannot go with --secret or --signature.</source>
        <translation>--no-secret entfernt das Secret; es passt nicht zu --secret oder --signature.</translation>
    </message>
    <message>
        <source>--secret and --signature standard|github go together.</source>
        <translation>--secret und --signature standard|github gehören zusammen.</translation>
    </message>
    <message>
        <source>--signature is standard or github, not &quot;%1&quot;.</source>
        <translation>--signature ist standard oder github, nicht „%1“.</translation>
    </message>
    <message>
        <source>--status takes an HTTP status code, not &quot;%1&quot;.</source>
        <translation>--status erwartet einen HTTP-Statuscode, nicht „%1“.</translation>
    </message>
    <message>
        <source>--delay-ms takes a whole number of milliseconds, not &quot;%1&quot;.</source>
        <translation>--delay-ms erwartet eine ganze Zahl Millisekunden, nicht „%1“.</translation>
    </message>
    <message>
        <source>--limit takes a number from 1 to 100000, not &quot;%1&quot;.</source>
        <translation>--limit erwartet eine Zahl von 1 bis 100000, nicht „%1“.</translation>
    </message>
    <message>
        <source>No requests received. Point a hook at http://127.0.0.1:PORT/inbox/NAME and send a test to it.</source>
        <translation>Nichts empfangen. Richten Sie einen Hook auf http://127.0.0.1:PORT/inbox/NAME und senden Sie ihm einen Test.</translation>
    </message>
    <message>
        <source>The inbox %1 has received nothing.</source>
        <translation>Der Posteingang %1 hat nichts empfangen.</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>RECEIVED</source>
        <translation>EMPFANGEN</translation>
    </message>
    <message>
        <source>INBOX</source>
        <translation>POSTEINGANG</translation>
    </message>
    <message>
        <source>METHOD</source>
        <translation>METHODE</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>GRÖSSE</translation>
    </message>
    <message>
        <source>VERDICT</source>
        <translation>URTEIL</translation>
    </message>
    <message>
        <source>REASON</source>
        <translation>GRUND</translation>
    </message>
    <message>
        <source>the ID of a received request</source>
        <translation>die ID einer empfangenen Anfrage</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not the ID of a received request; &quot;inbox list&quot; shows them.</source>
        <translation>„%1“ ist nicht die ID einer empfangenen Anfrage; „inbox list“ zeigt sie.</translation>
    </message>
    <message>
        <source> (the first %1 are stored)</source>
        <translation> (die ersten %1 sind gespeichert)</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>received_at</source>
        <translation>received_at</translation>
    </message>
    <message>
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <source>request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>verdict</source>
        <translation>Urteil</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>There is no inbox &quot;%1&quot;; &quot;inbox list&quot; shows what was received.</source>
        <translation>Es gibt keinen Posteingang „%1“; „inbox list“ zeigt, was empfangen wurde.</translation>
    </message>
    <message>
        <source>Deleted %1 requests from the inbox %2.</source>
        <translation>%1 Anfragen aus dem Posteingang %2 gelöscht.</translation>
    </message>
</context>
<context>
    <name>CliIntake</name>
    <message>
        <source>Listener:
  intake token [--rotate]   prints the token the intake asks for in
                            &quot;Authorization: Bearer TOKEN&quot;, creating it on first
                            use; --rotate replaces it (the old one stops working)
</source>
        <translation>Listener:
  intake token [--rotate]   gibt das Token aus, das die Annahme in
                            &quot;Authorization: Bearer TOKEN&quot; verlangt, und legt es
                            beim ersten Mal an; --rotate ersetzt es (das alte gilt
                            dann nicht mehr)
</translation>
    </message>
    <message>
        <source>intake needs a subcommand: token.</source>
        <translation>intake braucht einen Unterbefehl: token.</translation>
    </message>
    <message>
        <source>intake has no subcommand &quot;%1&quot;; use token.</source>
        <translation>intake hat keinen Unterbefehl &quot;%1&quot;; verwenden Sie token.</translation>
    </message>
</context>
<context>
    <name>CliMigrate</name>
    <message>
        <source>Team mode:
  migrate --from LOCATION --to LOCATION
                            copies everything (projects, event types, hooks,
                            events, deliveries, attempts, settings, inbox) from
                            one database to another, e.g. a file to
                            postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME; all or
                            nothing, into a target without hooks
</source>
        <translation>Teammodus:
  migrate --from ORT --to ORT
                            kopiert alles (Projekte, Ereignistypen, Webhooks,
                            Ereignisse, Zustellungen, Versuche, Einstellungen,
                            Posteingang) von einer Datenbank in eine andere, z. B.
                            eine Datei nach
                            postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME; alles
                            oder nichts, in ein Ziel ohne Webhooks
</translation>
    </message>
    <message>
        <source>migrate needs --from and --to.</source>
        <translation>migrate braucht --from und --to.</translation>
    </message>
    <message>
        <source>The database file %1 does not exist.</source>
        <translation>Die Datenbankdatei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>--from and --to name the same database.</source>
        <translation>--from und --to nennen dieselbe Datenbank.</translation>
    </message>
    <message>
        <source>copying %1: %2 of %3</source>
        <translation>kopiere %1: %2 von %3</translation>
    </message>
    <message>
        <source>Copied %1 to %2:</source>
        <translation>%1 nach %2 kopiert:</translation>
    </message>
</context>
<context>
    <name>CliOutput</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
</context>
<context>
    <name>CliParser</name>
    <message>
        <source>--%1 is given more than once.</source>
        <translation>--%1 ist mehrfach angegeben.</translation>
    </message>
    <message>
        <source>%1 needs %2.</source>
        <translation>%1 braucht %2.</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot;; put values with spaces in quotes.</source>
        <translation>Unerwartetes Argument „%1“; setzen Sie Werte mit Leerzeichen in Anführungszeichen.</translation>
    </message>
    <message>
        <source>%1: %2 See &quot;%3 %1 --help&quot;.</source>
        <translation>%1: %2 Siehe „%3 %1 --help“.</translation>
    </message>
</context>
<context>
    <name>CliProjects</name>
    <message>
        <source>There is no command &quot;projects %1&quot;.</source>
        <translation>Es gibt keinen Befehl „projects %1“.</translation>
    </message>
    <message>
        <source>No projects yet. Add one with: %1 projects add TITLE</source>
        <translation>Noch keine Projekte. Fügen Sie eines hinzu mit: %1 projects add TITLE</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>ERSTELLT</translation>
    </message>
    <message>
        <source>TITLE</source>
        <translation>TITEL</translation>
    </message>
    <message>
        <source>a TITLE</source>
        <translation>einen Titel (TITLE)</translation>
    </message>
    <message>
        <source>Projects:
  projects add TITLE        prints the new project&apos;s id
  projects list [--json]
  projects rename ID TITLE
  projects delete ID [--delete-hooks]
                            refused while webhooks are scoped to the project,
                            unless --delete-hooks deletes them with it (their
                            delivery history is kept)
</source>
        <translation>Projekte:
  projects add TITLE        gibt die ID des neuen Projekts aus
  projects list [--json]
  projects rename ID TITLE
  projects delete ID [--delete-hooks]
                            abgelehnt, solange Webhooks auf das Projekt beschränkt
                            sind, außer --delete-hooks löscht sie mit (ihr
                            Zustellverlauf bleibt erhalten)
</translation>
    </message>
    <message>
        <source>Name what to do: add, list, rename or delete.</source>
        <translation>Geben Sie an, was zu tun ist: add, list, rename oder delete.</translation>
    </message>
    <message>
        <source>a project ID and a TITLE</source>
        <translation>eine Projekt-ID und einen TITEL</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a project id.</source>
        <translation>„%1“ ist keine Projekt-ID.</translation>
    </message>
    <message>
        <source>Project %1 renamed to %2.</source>
        <translation>Projekt %1 in %2 umbenannt.</translation>
    </message>
    <message>
        <source>a project ID</source>
        <translation>eine Projekt-ID</translation>
    </message>
    <message>
        <source>Project %1 still has webhooks (%2); nothing was deleted. Add --delete-hooks to delete them with it (their delivery history is kept), or give them another scope first (hooks update ID --project ...).</source>
        <translation>Projekt %1 hat noch Webhooks (%2); nichts wurde gelöscht. Fügen Sie --delete-hooks hinzu, um sie mit ihm zu löschen (ihr Zustellverlauf bleibt erhalten), oder geben Sie ihnen zuerst einen anderen Bereich (hooks update ID --project ...).</translation>
    </message>
    <message>
        <source>Project %1 deleted with its webhooks (%2).</source>
        <translation>Projekt %1 mit seinen Webhooks (%2) gelöscht.</translation>
    </message>
    <message>
        <source>Project %1 deleted.</source>
        <translation>Projekt %1 gelöscht.</translation>
    </message>
</context>
<context>
    <name>CliRedeliver</name>
    <message>
        <source>Give a DELIVERY_ID or --failed.</source>
        <translation>Geben Sie eine DELIVERY_ID oder --failed an.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a webhook id.</source>
        <translation>„%1“ ist keine Webhook-ID.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a delivery id; &quot;deliveries&quot; lists them.</source>
        <translation>„%1“ ist keine Zustellungs-ID; „deliveries“ listet sie auf.</translation>
    </message>
    <message>
        <source>No failed deliveries to send again.</source>
        <translation>Keine fehlgeschlagenen Zustellungen zum erneuten Senden.</translation>
    </message>
    <message>
        <source>Failed deliveries sent again: %1.</source>
        <translation>Erneut gesendete fehlgeschlagene Zustellungen: %1.</translation>
    </message>
    <message>
        <source>  redeliver DELIVERY_ID     sends one delivery again now, same webhook-id
  redeliver --failed [--hook ID] [--event KEY] [--since TIME] [--until TIME]
      Sends every failed delivery again now; with a time window, those whose
      failed attempt was queued in it. TIME is ISO 8601 or a time ago
      (30m, 2h, 3d). Each keeps its webhook-id; the attempt is marked manual.
</source>
        <translation>  redeliver DELIVERY_ID     sendet eine Zustellung erneut, gleiche webhook-id
  redeliver --failed [--hook ID] [--event KEY] [--since TIME] [--until TIME]
      Sendet jede fehlgeschlagene Zustellung jetzt erneut; mit Zeitfenster die,
      deren fehlgeschlagener Versuch darin anstand. TIME ist ISO 8601 oder eine
      Zeit zurück (30m, 2h, 3d). Jede behält ihre webhook-id; der Versuch gilt als manuell.
</translation>
    </message>
    <message>
        <source>--hook, --event, --since and --until go with --failed.</source>
        <translation>--hook, --event, --since und --until gehören zu --failed.</translation>
    </message>
</context>
<context>
    <name>CliSend</name>
    <message>
        <source>standard input</source>
        <translation>Standardeingabe</translation>
    </message>
    <message>
        <source>Cannot read standard input: %1</source>
        <translation>Die Standardeingabe kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The data file %1 does not exist.</source>
        <translation>Die Datendatei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The data file %1 is larger than %2 MB; split the event into smaller ones.</source>
        <translation>Die Datendatei %1 ist größer als %2 MB; teilen Sie das Ereignis in kleinere auf.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The data in %1 is larger than %2 MB; split the event into smaller ones.</source>
        <translation>Die Daten in %1 sind größer als %2 MB; teilen Sie das Ereignis in kleinere auf.</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2 at byte %3.</source>
        <translation>%1 ist kein gültiges JSON: %2 bei Byte %3.</translation>
    </message>
    <message>
        <source>%1 must hold a JSON object with the event&apos;s payload key, such as {&quot;tasks&quot;: [...]}.</source>
        <translation>%1 muss ein JSON-Objekt mit dem Nutzdaten-Schlüssel des Ereignisses enthalten, etwa {&quot;tasks&quot;: [...]}.</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>noch nicht gesendet</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>DELIVERY</source>
        <translation>ZUSTELLUNG</translation>
    </message>
    <message>
        <source>HOOK</source>
        <translation>WEBHOOK</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>OUTCOME</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <source>RESULT</source>
        <translation>ERGEBNIS</translation>
    </message>
    <message>
        <source>DURATION</source>
        <translation>DAUER</translation>
    </message>
    <message>
        <source>Failed deliveries that &quot;serve&quot; or the window will retry on schedule: %1.</source>
        <translation>Fehlgeschlagene Zustellungen, die „serve“ oder das Fenster planmäßig wiederholt: %1.</translation>
    </message>
    <message>
        <source>filtered</source>
        <translation>gefiltert</translation>
    </message>
    <message>
        <source>There is no attempt with id %1.</source>
        <translation>Es gibt keinen Versuch mit der ID %1.</translation>
    </message>
    <message>
        <source>waiting (rate limit)</source>
        <translation>wartet (Ratenlimit)</translation>
    </message>
    <message>
        <source>Webhook %1 is paused (%2). Deliveries waiting for its next probe at %3, then in order: %4. &quot;hooks resume %1&quot; sends them now.</source>
        <translation>Webhook %1 ist pausiert (%2). Zustellungen, die auf die nächste Probe um %3 warten und dann der Reihe nach gesendet werden: %4. &quot;hooks resume %1&quot; sendet sie sofort.</translation>
    </message>
    <message>
        <source>Webhook %1 is over its rate limit (%2). Deliveries waiting their turn for &quot;serve&quot; or the window: %3.</source>
        <translation>Webhook %1 hat sein Ratenlimit erreicht (%2). Zustellungen, die auf &quot;serve&quot; oder das Fenster warten: %3.</translation>
    </message>
</context>
<context>
    <name>CliServe</name>
    <message>
        <source>%1 pruned attempts older than %2 days: %3.</source>
        <translation>%1 Versuche älter als %2 Tage entfernt: %3.</translation>
    </message>
    <message>
        <source>Cannot watch for stop signals: %1</source>
        <translation>Auf Stoppsignale kann nicht gewartet werden: %1</translation>
    </message>
    <message>
        <source>%1 hook %2 %3 delivery %4 attempt %5/%6 %7: %8</source>
        <translation>%1 Webhook %2 %3 Zustellung %4 Versuch %5/%6 %7: %8</translation>
    </message>
    <message>
        <source>%1 stopping</source>
        <translation>%1 wird beendet</translation>
    </message>
    <message>
        <source>serving %1</source>
        <translation>Versand läuft für %1</translation>
    </message>
    <message>
        <source>%1 stopped</source>
        <translation>%1 beendet</translation>
    </message>
    <message>
        <source>--listen takes HOST:PORT with an IP address, e.g. 127.0.0.1:8484 or [::1]:0, not &quot;%1&quot;.</source>
        <translation>--listen erwartet HOST:PORT mit einer IP-Adresse, z. B. 127.0.0.1:8484 oder [::1]:0, nicht &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>%1 is reachable from other machines: anyone who can reach it may post to /inbox/NAME and read /healthz without the token; /intake needs the token.</source>
        <translation>%1 ist von anderen Rechnern erreichbar: Wer die Adresse erreicht, kann ohne Token an /inbox/NAME senden und /healthz lesen; /intake verlangt das Token.</translation>
    </message>
    <message>
        <source>listening on %1</source>
        <translation>listening on %1</translation>
    </message>
    <message>
        <source>  serve [--listen HOST:PORT [--no-deliver]]
                            the headless dispatcher: sends what is due, retries on
                            schedule, one line per attempt; stop with Ctrl+C.
                            --listen also runs the HTTP listener (the intake, the
                            local inbox, /healthz) and prints &quot;listening on URL&quot;
                            (the real port when PORT is 0) before it accepts
                            --no-deliver: the listener alone; what it stores is
                            sent by another serve or window on the same database
</source>
        <translation>  serve [--listen HOST:PORT [--no-deliver]]
                            Dispatcher ohne Fenster: sendet Fälliges, wiederholt
                            nach Plan, eine Zeile je Versuch; Ende mit Strg+C.
                            --listen startet auch den HTTP-Listener (Annahme,
                            lokaler Posteingang, /healthz) und gibt &quot;listening on URL&quot;
                            aus (den echten Port bei PORT 0), bevor er annimmt
                            --no-deliver: nur der Listener; was er speichert, sendet
                            ein anderes serve oder Fenster an derselben Datenbank
</translation>
    </message>
    <message>
        <source>--no-deliver needs --listen: without either, serve would do nothing.</source>
        <translation>--no-deliver braucht --listen: ohne beides hätte serve nichts zu tun.</translation>
    </message>
    <message>
        <source>serving %1 (listener only: another serve or window delivers)</source>
        <translation>Nur der Listener läuft für %1 (ein anderes serve oder Fenster sendet)</translation>
    </message>
</context>
<context>
    <name>CliSession</name>
    <message>
        <source>Choose another file with --db, or move this one away.</source>
        <translation>Wählen Sie mit --db eine andere Datei, oder verschieben Sie diese.</translation>
    </message>
</context>
<context>
    <name>CliSettings</name>
    <message>
        <source> (default, ±10 % jitter)</source>
        <translation> (Standard, ±10 % Streuung)</translation>
    </message>
    <message>
        <source>a name and a value</source>
        <translation>einen Namen und einen Wert</translation>
    </message>
    <message>
        <source>retry_schedule takes up to 20 comma-separated seconds, each at most a week, not &quot;%1&quot;.</source>
        <translation>retry_schedule erwartet bis zu 20 durch Kommas getrennte Sekundenwerte, jeder höchstens eine Woche, nicht „%1“.</translation>
    </message>
    <message>
        <source>%1 takes a whole number, not &quot;%2&quot;.</source>
        <translation>%1 erwartet eine ganze Zahl, nicht „%2“.</translation>
    </message>
    <message>
        <source>Settings (kept in the database file):
  settings [--json]
  settings set retention_days DAYS       attempts older than this are pruned
  settings set failure_threshold N       pause a hook after N failed deliveries in a row (0: never)
  settings set pause_limit_days DAYS     deactivate a hook paused this long without a success
  settings set retry_schedule S,S,...    seconds before each attempt; &quot;default&quot;
                                         for 0,5,300,1800,7200,18000,36000,36000
</source>
        <translation>Einstellungen (in der Datenbankdatei gespeichert):
  settings [--json]
  settings set retention_days DAYS       ältere Versuche werden gelöscht
  settings set failure_threshold N       Webhook nach N fehlgeschlagenen Zustellungen in Folge pausieren (0: nie)
  settings set pause_limit_days DAYS     Webhook deaktivieren, der so lange ohne Erfolg pausiert
  settings set retry_schedule S,S,...    Sekunden vor jedem Versuch; „default“
                                         für 0,5,300,1800,7200,18000,36000,36000
</translation>
    </message>
    <message>
        <source>0 (never pause)</source>
        <translation>0 (nie pausieren)</translation>
    </message>
    <message>
        <source>There is no setting &quot;%1&quot;: use retention_days, failure_threshold, pause_limit_days or retry_schedule.</source>
        <translation>Es gibt keine Einstellung „%1“: Verwenden Sie retention_days, failure_threshold, pause_limit_days oder retry_schedule.</translation>
    </message>
    <message>
        <source>pause_limit_days takes a number of days from 1 second to 365, not &quot;%1&quot;.</source>
        <translation>pause_limit_days erwartet eine Anzahl Tage von 1 Sekunde bis 365, nicht „%1“.</translation>
    </message>
</context>
<context>
    <name>CliTestSend</name>
    <message>
        <source>  test HOOK_ID [--event KEY] [--data FILE|-]
      Sends one test event (default: the hook&apos;s first event, else PING) with
      the sample payload or --data, and shows the outcome. Never retried.
</source>
        <translation>  test HOOK_ID [--event KEY] [--data FILE|-]
      Sendet ein Testereignis (Standard: erstes Ereignis des Hooks, sonst PING)
      mit Beispiel-Nutzdaten oder --data, zeigt das Ergebnis. Nie wiederholt.
</translation>
    </message>
    <message>
        <source>a webhook ID</source>
        <translation>eine Webhook-ID</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a webhook id.</source>
        <translation>„%1“ ist keine Webhook-ID.</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Message id</source>
        <translation>Nachrichten-ID</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Zustellung</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Verlauf</translation>
    </message>
</context>
<context>
    <name>CliVerify</name>
    <message>
        <source>line %1 is not &quot;Name: value&quot;</source>
        <translation>Zeile %1 hat nicht die Form &quot;Name: Wert&quot;</translation>
    </message>
    <message>
        <source>Cannot read &quot;%1&quot;: %2.</source>
        <translation>&quot;%1&quot; kann nicht gelesen werden: %2.</translation>
    </message>
    <message>
        <source>%1 seconds in the past</source>
        <translation>%1 Sekunden in der Vergangenheit</translation>
    </message>
    <message>
        <source>%1 seconds in the future</source>
        <translation>%1 Sekunden in der Zukunft</translation>
    </message>
    <message>
        <source>Valid: X-Hub-Signature-256 matches %1.</source>
        <extracomment>%1 names the secret, e.g. &quot;the hook&apos;s current secret&quot;</extracomment>
        <translation>Gültig: X-Hub-Signature-256 passt zu %1.</translation>
    </message>
    <message>
        <source>Valid: webhook-signature matches %1; webhook-timestamp is %2.</source>
        <extracomment>%1 names the secret, %2 e.g. &quot;3 seconds in the past&quot;</extracomment>
        <translation>Gültig: webhook-signature passt zu %1; webhook-timestamp liegt %2.</translation>
    </message>
    <message>
        <source>Not valid: missing header %1.</source>
        <translation>Ungültig: Header %1 fehlt.</translation>
    </message>
    <message>
        <source>Not valid: webhook-timestamp is not a number of seconds since 1970.</source>
        <translation>Ungültig: webhook-timestamp ist keine Zahl von Sekunden seit 1970.</translation>
    </message>
    <message>
        <source>Not valid: signature mismatch: %1 matches none of the %2 secret(s) for this body (a changed body, a re-serialised one instead of the raw bytes, or the wrong secret).</source>
        <extracomment>%1 is the signature header, %2 how many secrets were tried</extracomment>
        <translation>Ungültig: Signatur passt nicht: %1 passt zu keinem der %2 Secrets für diesen Body (ein veränderter Body, ein neu serialisierter statt der Rohbytes oder das falsche Secret).</translation>
    </message>
    <message>
        <source>Not valid: stale timestamp: the signature matches, but webhook-timestamp is %1 (more than %2 seconds).</source>
        <extracomment>%1 e.g. &quot;600 seconds in the past&quot;, %2 the tolerance in seconds</extracomment>
        <translation>Ungültig: veralteter Zeitstempel: Die Signatur passt, aber webhook-timestamp liegt %1 (mehr als %2 Sekunden).</translation>
    </message>
    <message>
        <source>Checking a request&apos;s signature as its receiver would (exit 0 valid, 3 not):
  verify --secret S [--signature standard|github] --headers FILE --body FILE
      FILE of headers: &quot;Name: value&quot; lines, as a receiver dumps them; the
      body file holds the raw bytes received. --secret may be repeated (a
      rotation&apos;s old and new secret).
  verify --attempt ID
      Checks a logged attempt&apos;s request again with its hook&apos;s secret and the
      previous secrets that are still valid; the timestamp against the time
      it was sent.
  Both: [--tolerance DURATION] how far webhook-timestamp may be from now
      (default 5m; Standard Webhooks only).
</source>
        <translation>Signatur einer Anfrage prüfen wie ihr Empfänger (Exit-Code 0 gültig, 3 nicht):
  verify --secret S [--signature standard|github] --headers FILE --body FILE
      Header-Datei: Zeilen &quot;Name: Wert&quot;, wie ein Empfänger sie ausgibt; die
      Body-Datei enthält die empfangenen Rohbytes. --secret darf mehrfach
      vorkommen (altes und neues Secret einer Rotation).
  verify --attempt ID
      Prüft die Anfrage eines protokollierten Versuchs erneut mit dem Secret
      seines Webhooks und den noch gültigen früheren Secrets; den Zeitstempel
      gegen den Sendezeitpunkt.
  Beide: [--tolerance DURATION] wie weit webhook-timestamp von jetzt abweichen
      darf (Standard 5m; nur Standard Webhooks).
</translation>
    </message>
    <message>
        <source>Give either --attempt ID, or --secret, --headers and --body.</source>
        <translation>Geben Sie entweder --attempt ID oder --secret, --headers und --body an.</translation>
    </message>
    <message>
        <source>--secret, --headers and --body go together.</source>
        <translation>--secret, --headers und --body gehören zusammen.</translation>
    </message>
    <message>
        <source>--tolerance &quot;%1&quot; is not a duration such as 300, 5m or 1h.</source>
        <translation>--tolerance &quot;%1&quot; ist keine Dauer wie 300, 5m oder 1h.</translation>
    </message>
    <message>
        <source>--signature &quot;%1&quot; is not standard or github.</source>
        <translation>--signature &quot;%1&quot; ist weder standard noch github.</translation>
    </message>
    <message>
        <source>--secret is empty.</source>
        <translation>--secret ist leer.</translation>
    </message>
    <message>
        <source>A Standard Webhooks secret is &quot;whsec_&quot; followed by base64 (--secret number %1 is not).</source>
        <translation>Ein Standard-Webhooks-Secret ist &quot;whsec_&quot; gefolgt von Base64 (--secret Nummer %1 ist es nicht).</translation>
    </message>
    <message>
        <source>the secret given</source>
        <translation>dem angegebenen Secret</translation>
    </message>
    <message>
        <source>secret number %1 given</source>
        <translation>dem angegebenen Secret Nummer %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an attempt id; &quot;deliveries&quot; lists them.</source>
        <translation>&quot;%1&quot; ist keine Versuchs-ID; &quot;deliveries&quot; listet sie auf.</translation>
    </message>
    <message>
        <source>Attempt %1 has not sent a request (yet).</source>
        <translation>Versuch %1 hat (noch) keine Anfrage gesendet.</translation>
    </message>
    <message>
        <source>Webhook %1 does not sign its requests; there is nothing to verify.</source>
        <translation>Webhook %1 signiert seine Anfragen nicht; es gibt nichts zu prüfen.</translation>
    </message>
    <message>
        <source>the current secret of webhook %1</source>
        <translation>dem aktuellen Secret von Webhook %1</translation>
    </message>
    <message>
        <source>a previous secret of webhook %1 (valid until %2)</source>
        <translation>einem früheren Secret von Webhook %1 (gültig bis %2)</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>--db needs the PATH of a database file.</source>
        <translation>--db braucht den Pfad (PATH) einer Datenbankdatei.</translation>
    </message>
    <message>
        <source>Unknown option &quot;%1&quot;.</source>
        <translation>Unbekannte Option „%1“.</translation>
    </message>
    <message>
        <source>%1 See &quot;%2 --help&quot;.</source>
        <translation>%1 Siehe „%2 --help“.</translation>
    </message>
    <message>
        <source>There is no command &quot;%1&quot;. See &quot;%2 --help&quot;.</source>
        <translation>Es gibt keinen Befehl „%1“. Siehe „%2 --help“.</translation>
    </message>
    <message>
        <source>Usage: %1 [--db PATH|URL] [COMMAND ...]
Without a command, opens the window. Options everywhere:
  --db PATH                 the database file (default: %2)
  --db postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=MODE]
                            a PostgreSQL database shared by a team;
                            WEBHOOK_ADMIN_DB sets the default
  --help, --version
Exit codes: 0 success, 1 usage, 2 invalid input, 3 delivery failed, 4 storage error.
</source>
        <translation>Aufruf: %1 [--db PATH|URL] [COMMAND ...]
Ohne Befehl öffnet sich das Fenster. Optionen für alle Befehle:
  --db PATH                 die Datenbankdatei (Standard: %2)
  --db postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=MODE]
                            eine PostgreSQL-Datenbank, die ein Team teilt;
                            WEBHOOK_ADMIN_DB setzt den Standard
  --help, --version
Exit-Codes: 0 Erfolg, 1 Aufruffehler, 2 ungültige Eingabe, 3 Zustellfehler, 4 Speicherfehler.
</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 ist keine Datei.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the database.</source>
        <translation>Der Ordner %1 für die Datenbank kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot create the database file %1: %2</source>
        <translation>Die Datenbankdatei %1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>The database file %1 cannot be read: permission denied.</source>
        <translation>Die Datenbankdatei %1 kann nicht gelesen werden: Zugriff verweigert.</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>Öffnen von %1</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>Lesen von %1</translation>
    </message>
    <message>
        <source>%1 is a SQLite database of another program, not of Webhook Admin; it was left untouched.</source>
        <translation>%1 ist eine SQLite-Datenbank eines anderen Programms, nicht von Webhook Admin; sie wurde nicht verändert.</translation>
    </message>
    <message>
        <source>%1 was written by a newer Webhook Admin (schema %2; this version reads up to %3). Update Webhook Admin to open it.</source>
        <translation>%1 wurde von einem neueren Webhook Admin geschrieben (Schema %2; diese Version liest bis %3). Aktualisieren Sie Webhook Admin, um sie zu öffnen.</translation>
    </message>
    <message>
        <source>Preparing %1</source>
        <translation>Vorbereiten von %1</translation>
    </message>
    <message>
        <source>Upgrading %1</source>
        <translation>Aktualisieren von %1</translation>
    </message>
    <message>
        <source>%1 is readable by other users; it holds secrets (chmod 600 %1)</source>
        <extracomment>%1 is the database file; keep &quot;chmod 600&quot;, it is a command</extracomment>
        <translation>%1 ist für andere Benutzer lesbar; die Datei enthält Geheimnisse (chmod 600 %1)</translation>
    </message>
    <message>
        <source>%1 is not a Webhook Admin database, or it is damaged (%2).</source>
        <translation>%1 ist keine Webhook-Admin-Datenbank, oder sie ist beschädigt (%2).</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Cannot open %1: the PostgreSQL driver of Qt (QPSQL) is not installed (Debian: libqt6sql6-psql).</source>
        <translation>%1 kann nicht geöffnet werden: Der PostgreSQL-Treiber von Qt (QPSQL) ist nicht installiert (Debian: libqt6sql6-psql).</translation>
    </message>
    <message>
        <source>Cannot connect to %1: %2</source>
        <translation>Keine Verbindung zu %1: %2</translation>
    </message>
    <message>
        <source>%1 holds tables of another program, not of Webhook Admin; it was left untouched.</source>
        <translation>%1 enthält Tabellen eines anderen Programms, nicht von Webhook Admin; sie wurde nicht verändert.</translation>
    </message>
    <message>
        <source>%1 is not a Webhook Admin database, or it is damaged.</source>
        <translation>%1 ist keine Webhook-Admin-Datenbank, oder sie ist beschädigt.</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>the server does not answer</source>
        <translation>der Server antwortet nicht</translation>
    </message>
</context>
<context>
    <name>DatabaseCopy</name>
    <message>
        <source>Copying to %1</source>
        <translation>Kopieren nach %1</translation>
    </message>
    <message>
        <source>%1 already holds hooks or deliveries; copy into an empty database only. Nothing was copied.</source>
        <translation>%1 enthält bereits Webhooks oder Zustellungen; kopiert wird nur in eine leere Datenbank. Nichts wurde kopiert.</translation>
    </message>
    <message>
        <source>Copying %1 to %2</source>
        <translation>%1 nach %2 kopieren</translation>
    </message>
</context>
<context>
    <name>DatabaseLocation</name>
    <message>
        <source>The server address is not a valid URL (postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME).</source>
        <translation>Die Serveradresse ist keine gültige URL (postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME).</translation>
    </message>
    <message>
        <source>sslmode must be one of %1.</source>
        <translation>sslmode muss einer dieser Werte sein: %1.</translation>
    </message>
    <message>
        <source>The server address has an unknown option &quot;%1&quot;; only sslmode is read.</source>
        <translation>Die Serveradresse hat eine unbekannte Option „%1“; nur sslmode wird gelesen.</translation>
    </message>
    <message>
        <source>The server address names no host.</source>
        <translation>Die Serveradresse nennt keinen Host.</translation>
    </message>
    <message>
        <source>The server address names no database (…/DBNAME at its end).</source>
        <translation>Die Serveradresse nennt keine Datenbank (…/DBNAME am Ende).</translation>
    </message>
    <message>
        <source>The server address names no user (USER@HOST).</source>
        <translation>Die Serveradresse nennt keinen Benutzer (USER@HOST).</translation>
    </message>
</context>
<context>
    <name>DeliveryChartModel</name>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Filtered</source>
        <translation>Gefiltert</translation>
    </message>
</context>
<context>
    <name>DeliveryChartView</name>
    <message>
        <source>Attempts over time</source>
        <extracomment>Title of the collapsible chart above the delivery log</extracomment>
        <translation>Versuche im Zeitverlauf</translation>
    </message>
    <message>
        <source>Show or hide the chart of attempts over time</source>
        <translation>Diagramm der Versuche im Zeitverlauf ein- oder ausblenden</translation>
    </message>
    <message>
        <source>Chart range</source>
        <translation>Diagrammzeitraum</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>per minute</source>
        <extracomment>The chart&apos;s vertical axis: each bar counts one minute</extracomment>
        <translation>pro Minute</translation>
    </message>
    <message>
        <source>per 15 min</source>
        <extracomment>The chart&apos;s vertical axis: each bar counts 15 minutes</extracomment>
        <translation>pro 15 Min.</translation>
    </message>
    <message>
        <source>per hour</source>
        <extracomment>The chart&apos;s vertical axis: each bar counts one hour</extracomment>
        <translation>pro Stunde</translation>
    </message>
    <message>
        <source>Could not count the attempts: %1</source>
        <extracomment>%1 is why the database could not be read</extracomment>
        <translation>Die Versuche konnten nicht gezählt werden: %1</translation>
    </message>
    <message>
        <source>Counting attempts…</source>
        <translation>Versuche werden gezählt …</translation>
    </message>
    <message>
        <source>No attempts in this range match the log&apos;s filters.</source>
        <translation>Keine Versuche in diesem Zeitraum passen zu den Filtern des Protokolls.</translation>
    </message>
    <message>
        <source>%1 attempts, %2 failed · click a bar to filter the log</source>
        <extracomment>Next to the chart&apos;s title: %1 attempts in the range, %2 of them failed</extracomment>
        <translation>%1 Versuche, %2 fehlgeschlagen · Balken anklicken, um das Protokoll zu filtern</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <extracomment>A chart bar&apos;s tooltip: %1 and %2 are the start and end of its time bucket</extracomment>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>A chart bar&apos;s tooltip line: %1 an outcome, %2 how many attempts had it</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Click to show these attempts in the log</source>
        <translation>Klicken, um diese Versuche im Protokoll zu zeigen</translation>
    </message>
</context>
<context>
    <name>DeliveryGroupModel</name>
    <message>
        <source>1 attempt</source>
        <translation>1 Versuch</translation>
    </message>
    <message>
        <source>%1 attempts</source>
        <translation>%1 Versuche</translation>
    </message>
</context>
<context>
    <name>DeliveryLogModel</name>
    <message>
        <source>manual</source>
        <extracomment>How the attempt started: redelivered by hand</extracomment>
        <translation>manuell</translation>
    </message>
    <message>
        <source>test</source>
        <extracomment>How the attempt started: a test send</extracomment>
        <translation>Test</translation>
    </message>
    <message>
        <source>scheduled</source>
        <extracomment>How the attempt started: by the delivery engine</extracomment>
        <translation>geplant</translation>
    </message>
    <message>
        <source>refused</source>
        <extracomment>Short outcome of a failed attempt: the connection was refused</extracomment>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>timeout</source>
        <extracomment>Short outcome of a failed attempt: no answer in time</extracomment>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>DNS error</source>
        <extracomment>Short outcome of a failed attempt: the host name was not found</extracomment>
        <translation>DNS-Fehler</translation>
    </message>
    <message>
        <source>TLS error</source>
        <extracomment>Short outcome of a failed attempt</extracomment>
        <translation>TLS-Fehler</translation>
    </message>
    <message>
        <source>reset</source>
        <extracomment>Short outcome of a failed attempt: the connection was closed or reset</extracomment>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>protocol error</source>
        <extracomment>Short outcome of a failed attempt: the answer was not valid HTTP</extracomment>
        <translation>Protokollfehler</translation>
    </message>
    <message>
        <source>interrupted</source>
        <extracomment>Short outcome of a failed attempt: the app stopped while it was in flight</extracomment>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <source>failed</source>
        <extracomment>Short outcome of a failed attempt of no known kind</extracomment>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>pending — due %1</source>
        <extracomment>%1 is when the attempt is due, e.g. 10:42:13</extracomment>
        <translation>offen — fällig %1</translation>
    </message>
    <message>
        <source>delivered</source>
        <extracomment>Outcome of an attempt that succeeded without a status code</extracomment>
        <translation>zugestellt</translation>
    </message>
    <message>
        <source>Waiting to be sent; due %1</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>Wartet auf Versand; fällig %1</translation>
    </message>
    <message>
        <source>Delivered: HTTP %1</source>
        <extracomment>%1 is the HTTP status code</extracomment>
        <translation>Zugestellt: HTTP %1</translation>
    </message>
    <message>
        <source>%1
Attempt %2 of %3 · %4 to %5
Delivery %6 · webhook-id %7</source>
        <extracomment>Tooltip of a log row. %1 outcome or error, %2/%3 attempt n of N, %4 event key, %5 URL, %6 delivery id, %7 webhook-id header value</extracomment>
        <translation>%1
Versuch %2 von %3 · %4 an %5
Zustellung %6 · webhook-id %7</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <extracomment>Duration of an attempt in milliseconds</extracomment>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <extracomment>Attempt n of N, e.g. 2/8</extracomment>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <extracomment>%1 is the queued and sent times, %2 the tooltip of the row
----------
%1 is the URL the attempt went to, %2 the tooltip of the row</extracomment>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>Succeeded, %1</source>
        <extracomment>Read out by screen readers; %1 is the outcome text, e.g. 200</extracomment>
        <translation>Erfolgreich, %1</translation>
    </message>
    <message>
        <source>Failed, %1</source>
        <translation>Fehlgeschlagen, %1</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Auslöser</translation>
    </message>
    <message>
        <source>The webhook&apos;s URL</source>
        <translation>Die URL des Webhooks</translation>
    </message>
    <message>
        <source>The event the delivery carries</source>
        <translation>Das Ereignis, das die Zustellung überbringt</translation>
    </message>
    <message>
        <source>The HTTP status code, or what went wrong before there was one</source>
        <translation>Der HTTP-Statuscode oder was schiefging, bevor es einen gab</translation>
    </message>
    <message>
        <source>From sending the request to the end of the response</source>
        <translation>Vom Senden der Anfrage bis zum Ende der Antwort</translation>
    </message>
    <message>
        <source>This attempt&apos;s number and how many the webhook allows</source>
        <translation>Die Nummer dieses Versuchs und wie viele der Webhook erlaubt</translation>
    </message>
    <message>
        <source>Scheduled by the engine, redelivered by hand, or a test send</source>
        <translation>Von der Engine geplant, von Hand erneut zugestellt oder ein Test</translation>
    </message>
    <message>
        <source>cancelled</source>
        <extracomment>Short outcome of an attempt never made: its webhook was deleted</extracomment>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>deleted webhook · %1</source>
        <extracomment>In the log&apos;s Webhook column; %1 is the URL the attempt went to</extracomment>
        <translation>gelöschter Webhook · %1</translation>
    </message>
    <message>
        <source>Queued %1</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>Eingereiht %1</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>Gesendet %1</translation>
    </message>
    <message>
        <source>Queued</source>
        <extracomment>Column header: when the attempt was queued, the log&apos;s order</extracomment>
        <translation>Eingereiht</translation>
    </message>
    <message>
        <source>When the attempt was queued: at once for a new event, when the attempt before failed for a retry. The log is in this order; the tooltip says when it was sent, the Status when a pending one is due.</source>
        <translation>Wann der Versuch eingereiht wurde: sofort bei einem neuen Ereignis, bei einer Wiederholung, als der vorige Versuch fehlschlug. Das Protokoll ist so geordnet; der Tooltip sagt, wann er gesendet wurde, der Status, wann ein wartender fällig ist.</translation>
    </message>
    <message>
        <source>waiting (rate limit) — due %1</source>
        <extracomment>A delivery held back by its hook&apos;s rate limit; %1 is when it is due</extracomment>
        <translation>wartet (Ratenlimit) — fällig %1</translation>
    </message>
    <message>
        <source>filtered</source>
        <extracomment>Outcome of a delivery the hook&apos;s filter kept back: nothing was sent</extracomment>
        <translation>gefiltert</translation>
    </message>
    <message>
        <source>Waiting for the webhook&apos;s rate limit; due %1</source>
        <extracomment>%1 is a date and time</extracomment>
        <translation>Wartet auf das Ratenlimit des Webhooks; fällig %1</translation>
    </message>
    <message>
        <source>Filtered, not sent: %1</source>
        <extracomment>%1 is the condition of the hook&apos;s filter that failed</extracomment>
        <translation>Gefiltert, nicht gesendet: %1</translation>
    </message>
</context>
<context>
    <name>DeliveryLogPane</name>
    <message>
        <source>Select an attempt to see its request, response and trace.</source>
        <translation>Wählen Sie einen Versuch, um Anfrage, Antwort und Verlauf zu sehen.</translation>
    </message>
    <message>
        <source>Could not read the delivery log: %1</source>
        <translation>Das Zustellprotokoll konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>&amp;Redeliver</source>
        <translation>Erneut &amp;zustellen</translation>
    </message>
    <message>
        <source>Send the selected deliveries again now, with the same webhook-id (Ctrl+R)</source>
        <translation>Die ausgewählten Zustellungen jetzt erneut senden, mit derselben webhook-id (Strg+R)</translation>
    </message>
    <message>
        <source>Copy as c&amp;URL</source>
        <translation>Als c&amp;URL kopieren</translation>
    </message>
    <message>
        <source>Copy a curl command that sends this request again; secrets become shell variables (Ctrl+Shift+C)</source>
        <translation>Einen curl-Befehl kopieren, der diese Anfrage erneut sendet; Geheimnisse werden zu Shell-Variablen (Strg+Umschalt+C)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Save the filtered log as JSON Lines or CSV (Ctrl+Shift+E)</source>
        <translation>Das gefilterte Protokoll als JSON Lines oder CSV speichern (Strg+Umschalt+E)</translation>
    </message>
    <message>
        <source>Webhook filter</source>
        <translation>Webhook-Filter</translation>
    </message>
    <message>
        <source>Show the deliveries of the webhook selected in the list</source>
        <translation>Die Zustellungen des in der Liste ausgewählten Webhooks anzeigen</translation>
    </message>
    <message>
        <source>Event filter</source>
        <translation>Ereignisfilter</translation>
    </message>
    <message>
        <source>Outcome filter</source>
        <translation>Statusfilter</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Search URL, error, webhook-id, status</source>
        <translation>Suchen: URL, Fehler, webhook-id, Status</translation>
    </message>
    <message>
        <source>Search the delivery log</source>
        <translation>Das Zustellprotokoll durchsuchen</translation>
    </message>
    <message>
        <source>Delivery log</source>
        <translation>Zustellprotokoll</translation>
    </message>
    <message>
        <source>All webhooks</source>
        <translation>Alle Webhooks</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <source>No deliveries yet — send a test or emit an event</source>
        <translation>Noch keine Zustellungen — senden Sie einen Test oder lösen Sie ein Ereignis aus</translation>
    </message>
    <message>
        <source>Select a webhook in the list to see its deliveries.</source>
        <translation>Wählen Sie einen Webhook in der Liste, um seine Zustellungen zu sehen.</translation>
    </message>
    <message>
        <source>No deliveries match the filter.</source>
        <translation>Keine Zustellungen passen zum Filter.</translation>
    </message>
    <message>
        <source>Not Redelivered</source>
        <translation>Nicht erneut zugestellt</translation>
    </message>
    <message>
        <source>Redeliveries queued: %1</source>
        <extracomment>%1 is a number</extracomment>
        <translation>Erneute Zustellungen eingereiht: %1</translation>
    </message>
    <message>
        <source>Redeliver Failed</source>
        <translation>Fehlschläge erneut zustellen</translation>
    </message>
    <message>
        <source>No failed deliveries match the filter.</source>
        <translation>Keine fehlgeschlagenen Zustellungen passen zum Filter.</translation>
    </message>
    <message>
        <source>Send the one failed delivery that the filter shows again now?</source>
        <translation>Die eine fehlgeschlagene Zustellung, die der Filter zeigt, jetzt erneut senden?</translation>
    </message>
    <message>
        <source>Send the %1 failed deliveries that the filter shows again now?</source>
        <translation>Die %1 fehlgeschlagenen Zustellungen, die der Filter zeigt, jetzt erneut senden?</translation>
    </message>
    <message>
        <source>Redeliver Failed Deliveries</source>
        <translation>Fehlgeschlagene Zustellungen erneut zustellen</translation>
    </message>
    <message>
        <source>Each keeps its webhook-id, so receivers can tell a repeat.</source>
        <translation>Jede behält ihre webhook-id, sodass Empfänger eine Wiederholung erkennen.</translation>
    </message>
    <message>
        <source>Not Copied</source>
        <translation>Nicht kopiert</translation>
    </message>
    <message>
        <source>Exporting the delivery log…</source>
        <translation>Zustellprotokoll wird exportiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Exporting the delivery log… %1 attempts so far</source>
        <extracomment>%1 is how many attempts were written so far</extracomment>
        <translation>Zustellprotokoll wird exportiert… bisher %1 Versuche</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export Delivery Log</source>
        <translation>Zustellprotokoll exportieren</translation>
    </message>
    <message>
        <source>Not Exported</source>
        <translation>Nicht exportiert</translation>
    </message>
    <message>
        <source>Exported the delivery log to %1 (attempts: %2).</source>
        <extracomment>%1 is a file path, %2 a number</extracomment>
        <translation>Das Zustellprotokoll wurde nach %1 exportiert (Versuche: %2).</translation>
    </message>
    <message>
        <source>Searching the log…</source>
        <extracomment>Shown instead of the log while a text filter is matched against it</extracomment>
        <translation>Protokoll wird durchsucht…</translation>
    </message>
    <message>
        <source>Redeliver &amp;Failed Deliveries…</source>
        <translation>&amp;Fehlgeschlagene erneut zustellen…</translation>
    </message>
    <message>
        <source>Send again now every delivery the filter shows that has used up its attempts without success; deliveries still being retried are left to their schedule (Ctrl+Shift+R)</source>
        <translation>Jede vom Filter gezeigte Zustellung, die alle Versuche ohne Erfolg verbraucht hat, jetzt erneut senden; Zustellungen, die noch wiederholt werden, folgen ihrem Zeitplan (Strg+Umschalt+R)</translation>
    </message>
    <message>
        <source>Copy as cURL, Signed &amp;Now</source>
        <translation>Als cURL kopieren, jetzt &amp;neu signiert</translation>
    </message>
    <message>
        <source>Copy a shell script that signs the request again with the current time, using openssl and the secret in $WEBHOOK_SIGNING_SECRET</source>
        <translation>Ein Shell-Skript kopieren, das die Anfrage mit der aktuellen Zeit neu signiert, mit openssl und dem Geheimnis aus $WEBHOOK_SIGNING_SECRET</translation>
    </message>
    <message>
        <source>Selected we&amp;bhook only</source>
        <translation>Nur ausgewählter Webh&amp;ook</translation>
    </message>
    <message>
        <source>Failed attempts</source>
        <translation>Fehlgeschlagene Versuche</translation>
    </message>
    <message>
        <source>Attempts that failed, including those whose delivery will still be retried</source>
        <translation>Fehlgeschlagene Versuche, auch solche, deren Zustellung noch wiederholt wird</translation>
    </message>
    <message>
        <source>Redeliver &amp;Failed Deliveries (%1)…</source>
        <extracomment>%1 is how many deliveries the action will send again</extracomment>
        <translation>&amp;Fehlgeschlagene erneut zustellen (%1)…</translation>
    </message>
    <message>
        <source>Attempt %1 of %2 · delivery %3 · webhook-id %4</source>
        <extracomment>Above the details: %1 the attempt&apos;s number, %2 allowed attempts, %3 delivery id, %4 the webhook-id header</extracomment>
        <translation>Versuch %1 von %2 · Zustellung %3 · webhook-id %4</translation>
    </message>
    <message>
        <source>This request was not signed: Copy as cURL sends it as it was.</source>
        <translation>Diese Anfrage war nicht signiert: „Als cURL kopieren“ sendet sie so, wie sie war.</translation>
    </message>
    <message>
        <source>Copied a script that signs the request with the current time.</source>
        <translation>Ein Skript kopiert, das die Anfrage mit der aktuellen Zeit signiert.</translation>
    </message>
    <message>
        <source>Copied a curl command.</source>
        <translation>Einen curl-Befehl kopiert.</translation>
    </message>
    <message>
        <source>Set %1 before running it.</source>
        <extracomment>%1 lists shell variables, e.g. &quot;$WEBHOOK_SECRET_AUTHORIZATION and $WEBHOOK_URL_PASSWORD&quot;</extracomment>
        <translation>Setzen Sie %1, bevor Sie ihn ausführen.</translation>
    </message>
    <message>
        <source>Its signature and timestamp are the original&apos;s: receivers reject them after about 5 minutes. Copy as cURL, Signed Now makes fresh ones.</source>
        <translation>Signatur und Zeitstempel sind die des Originals: Empfänger lehnen sie nach etwa 5 Minuten ab. „Als cURL kopieren, jetzt neu signiert“ erzeugt neue.</translation>
    </message>
    <message>
        <source>Filtered</source>
        <translation>Gefiltert</translation>
    </message>
    <message>
        <source>Edit and Resend…</source>
        <translation>Bearbeiten und erneut senden…</translation>
    </message>
    <message>
        <source>Open Send Test with this attempt&apos;s webhook, event and body, to fix the body and send it again, optionally to another URL once (Ctrl+E)</source>
        <translation>Öffnet „Test senden“ mit Webhook, Ereignis und Body dieses Versuchs, um den Body zu korrigieren und erneut zu senden, auf Wunsch einmalig an eine andere URL (Strg+E)</translation>
    </message>
    <message>
        <source>Time filter</source>
        <translation>Zeitfilter</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Jederzeit</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>From/To…</source>
        <translation>Von/Bis…</translation>
    </message>
    <message>
        <source>When the attempts were queued (the Time column)</source>
        <translation>Wann die Versuche anstanden (die Spalte Zeit)</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Bis:</translation>
    </message>
    <message>
        <source> · edited from delivery %1</source>
        <extracomment>Appended to the details title; %1 is the delivery the body was edited from</extracomment>
        <translation> · bearbeitet aus Zustellung %1</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>Show every attempt again</source>
        <translation>Wieder alle Versuche zeigen</translation>
    </message>
    <message>
        <source>%1 new ↑</source>
        <extracomment>A badge over the log: rows arrived above what the user is reading</extracomment>
        <translation>%1 neu ↑</translation>
    </message>
    <message>
        <source>#%1 %2</source>
        <extracomment>A choice of the log&apos;s webhook filter: %1 the hook&apos;s id, %2 its URL, %3 its description</extracomment>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <source>#%1 %2 — %3</source>
        <translation>#%1 %2 — %3</translation>
    </message>
    <message>
        <source>1 match</source>
        <extracomment>How many attempts match the log&apos;s filters</extracomment>
        <translation>1 Treffer</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 Treffer</translation>
    </message>
    <message>
        <source>Group by delivery</source>
        <translation>Nach Zustellung gruppieren</translation>
    </message>
    <message>
        <source>&amp;Group by Delivery</source>
        <translation>Nach Zustellung &amp;gruppieren</translation>
    </message>
    <message>
        <source>Show one row per delivery with its attempts beneath it</source>
        <translation>Eine Zeile pro Zustellung zeigen, ihre Versuche darunter</translation>
    </message>
    <message>
        <source>Queuing redeliveries…</source>
        <translation>Erneute Zustellungen werden eingereiht…</translation>
    </message>
    <message>
        <source>Delivery log by delivery</source>
        <translation>Zustellprotokoll nach Zustellung</translation>
    </message>
    <message>
        <source>Counting the failed deliveries…</source>
        <translation>Die fehlgeschlagenen Zustellungen werden gezählt…</translation>
    </message>
</context>
<context>
    <name>DeliveryPolicySection</name>
    <message>
        <source>Pace and retries</source>
        <translation>Tempo und Wiederholungen</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Kein Limit</translation>
    </message>
    <message>
        <source>per second</source>
        <translation>pro Sekunde</translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>pro Minute</translation>
    </message>
    <message>
        <source>Rate limit:</source>
        <translation>Ratenlimit:</translation>
    </message>
    <message>
        <source>Engine&apos;s limit</source>
        <translation>Limit der Engine</translation>
    </message>
    <message>
        <source>Requests of this webhook at once; 1 sends them strictly one after the other.</source>
        <translation>Gleichzeitige Anfragen dieses Webhooks; 1 sendet sie streng nacheinander.</translation>
    </message>
    <message>
        <source>Max in flight:</source>
        <translation>Max. gleichzeitig:</translation>
    </message>
    <message>
        <source>network, timeout, status codes (429) and classes (5xx); any other failure ends the delivery at once.</source>
        <translation>network, timeout, Statuscodes (429) und Klassen (5xx); jeder andere Fehler beendet die Zustellung sofort.</translation>
    </message>
    <message>
        <source>Retry on:</source>
        <translation>Wiederholen bei:</translation>
    </message>
    <message>
        <source>The file&apos;s schedule</source>
        <translation>Der Plan der Datei</translation>
    </message>
    <message>
        <source>Seconds before each attempt, e.g. 0,10,60,600.</source>
        <translation>Sekunden vor jedem Versuch, z. B. 0,10,60,600.</translation>
    </message>
    <message>
        <source>Retry schedule:</source>
        <translation>Wiederholungsplan:</translation>
    </message>
    <message>
        <source>Resume now</source>
        <translation>Jetzt fortsetzen</translation>
    </message>
    <message>
        <source>Ends the pause: the waiting deliveries go out now, in order.</source>
        <translation>Beendet die Pause: Die wartenden Zustellungen gehen jetzt der Reihe nach hinaus.</translation>
    </message>
    <message>
        <source>Circuit breaker:</source>
        <translation>Schutzschalter:</translation>
    </message>
    <message>
        <source>Write the seconds before each attempt, like 0,10,60 (each at most a week).</source>
        <translation>Geben Sie die Sekunden vor jedem Versuch an, etwa 0,10,60 (jeweils höchstens eine Woche).</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>One attempt, no retries.</source>
        <translation>Ein Versuch, keine Wiederholungen.</translation>
    </message>
    <message>
        <source>Retries after %1; the last comes %2 after the first attempt.</source>
        <extracomment>%1 lists the waits, e.g. &quot;5 s, 5 min, 30 min&quot;; %2 is their sum, e.g. &quot;35 min&quot;</extracomment>
        <translation>Wiederholungen nach %1; die letzte folgt %2 nach dem ersten Versuch.</translation>
    </message>
    <message>
        <source> (the default schedule, ±10 % jitter, unless the file sets one)</source>
        <translation> (der Standardplan, ±10 % Streuung, sofern die Datei keinen festlegt)</translation>
    </message>
    <message>
        <source>Not paused: deliveries go out as usual.</source>
        <translation>Nicht pausiert: Zustellungen gehen wie gewohnt hinaus.</translation>
    </message>
    <message>
        <source>Not paused: deliveries go out as usual. Last error: %1</source>
        <translation>Nicht pausiert: Zustellungen gehen wie gewohnt hinaus. Letzter Fehler: %1</translation>
    </message>
    <message>
        <source>Next probe in %1.</source>
        <translation>Nächste Probe in %1.</translation>
    </message>
    <message>
        <source>A probe is due now.</source>
        <translation>Eine Probe ist jetzt fällig.</translation>
    </message>
    <message>
        <source>Paused since %1: %2
%3
Last error: %4</source>
        <translation>Pausiert seit %1: %2
%3
Letzter Fehler: %4</translation>
    </message>
</context>
<context>
    <name>DeliveryStore</name>
    <message>
        <source>Unknown event type %1; `events` lists them.</source>
        <translation>Unbekannter Ereignistyp %1; `events` listet sie auf.</translation>
    </message>
    <message>
        <source>Matching webhooks for %1</source>
        <translation>Passende Webhooks für %1 suchen</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Reading webhook %1</source>
        <translation>Lesen von Webhook %1</translation>
    </message>
    <message>
        <source>There is no webhook with id %1.</source>
        <translation>Es gibt keinen Webhook mit der ID %1.</translation>
    </message>
    <message>
        <source>Storing the %1 event</source>
        <translation>Speichern des Ereignisses %1</translation>
    </message>
    <message>
        <source>Project %1 does not exist; `projects list` shows them.</source>
        <translation>Projekt %1 existiert nicht; `projects list` zeigt die Projekte.</translation>
    </message>
    <message>
        <source>Looking for due deliveries</source>
        <translation>Suchen fälliger Zustellungen</translation>
    </message>
    <message>
        <source>Claiming deliveries</source>
        <translation>Übernehmen von Zustellungen</translation>
    </message>
    <message>
        <source>Resuming deliveries</source>
        <translation>Fortsetzen von Zustellungen</translation>
    </message>
    <message>
        <source>Releasing deliveries</source>
        <translation>Freigeben von Zustellungen</translation>
    </message>
    <message>
        <source>Recording delivery attempts</source>
        <translation>Aufzeichnen von Zustellversuchen</translation>
    </message>
    <message>
        <source>Redelivering delivery %1</source>
        <translation>Erneutes Zustellen von Zustellung %1</translation>
    </message>
    <message>
        <source>There is no delivery with id %1.</source>
        <translation>Es gibt keine Zustellung mit der ID %1.</translation>
    </message>
    <message>
        <source>Finding failed deliveries</source>
        <translation>Suchen fehlgeschlagener Zustellungen</translation>
    </message>
    <message>
        <source>Reading the delivery log</source>
        <translation>Lesen des Zustellprotokolls</translation>
    </message>
    <message>
        <source>Reading attempt %1</source>
        <translation>Lesen von Versuch %1</translation>
    </message>
    <message>
        <source>There is no attempt with id %1.</source>
        <translation>Es gibt keinen Versuch mit der ID %1.</translation>
    </message>
    <message>
        <source>Counting failed deliveries</source>
        <translation>Zählen fehlgeschlagener Zustellungen</translation>
    </message>
    <message>
        <source>Counting attempts</source>
        <translation>Zählen der Versuche</translation>
    </message>
    <message>
        <source>Reading recent deliveries</source>
        <translation>Lesen der letzten Zustellungen</translation>
    </message>
    <message>
        <source>Pruning old attempts</source>
        <translation>Entfernen alter Versuche</translation>
    </message>
    <message>
        <source>Saving the setting %1</source>
        <translation>Speichern der Einstellung %1</translation>
    </message>
    <message>
        <source>Retention must be between 1 and 3650 days.</source>
        <translation>Die Aufbewahrungsdauer muss zwischen 1 und 3650 Tagen liegen.</translation>
    </message>
    <message>
        <source>The failure threshold must be between 0 (off) and 1000.</source>
        <translation>Die Fehlerschwelle muss zwischen 0 (aus) und 1000 liegen.</translation>
    </message>
    <message>
        <source>A retry schedule has at most 20 steps.</source>
        <translation>Ein Wiederholungsplan hat höchstens 20 Schritte.</translation>
    </message>
    <message>
        <source>Each step of the retry schedule is between 0 seconds and a week.</source>
        <translation>Jeder Schritt des Wiederholungsplans liegt zwischen 0 Sekunden und einer Woche.</translation>
    </message>
    <message>
        <source>Saving the settings</source>
        <translation>Speichern der Einstellungen</translation>
    </message>
    <message>
        <source>The webhook of delivery %1 was deleted; its history is kept, but nothing is sent to it any more.</source>
        <translation>Der Webhook der Zustellung %1 wurde gelöscht; sein Verlauf bleibt erhalten, aber es wird nichts mehr an ihn gesendet.</translation>
    </message>
    <message>
        <source>Filtered: not sent, because the webhook&apos;s filter does not match the body.
The condition that failed: %1
The filter: %2</source>
        <translation>Gefiltert: nicht gesendet, weil der Filter des Webhooks nicht auf den Body passt.
Die Bedingung, die nicht zutraf: %1
Der Filter: %2</translation>
    </message>
    <message>
        <source>Paused since %1 without a successful delivery; deactivated after %2 hours. The last error: %3</source>
        <translation>Seit %1 ohne erfolgreiche Zustellung pausiert; nach %2 Stunden deaktiviert. Der letzte Fehler: %3</translation>
    </message>
    <message numerus="yes">
        <source>%n deliveries in a row failed; the last: %1</source>
        <translation>
            <numerusform>%n Zustellung ist fehlgeschlagen; die letzte: %1</numerusform>
            <numerusform>%n Zustellungen in Folge sind fehlgeschlagen; die letzte: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Resuming webhook %1</source>
        <translation>Webhook %1 wird fortgesetzt</translation>
    </message>
    <message>
        <source>Holding deliveries back for the rate limit</source>
        <translation>Zustellungen werden für das Ratenlimit zurückgehalten</translation>
    </message>
    <message>
        <source>Reading stored events</source>
        <translation>Gespeicherte Ereignisse werden gelesen</translation>
    </message>
    <message>
        <source>A hook stays paused between a second and a year before it is deactivated.</source>
        <translation>Ein Webhook bleibt zwischen einer Sekunde und einem Jahr pausiert, bevor er deaktiviert wird.</translation>
    </message>
    <message>
        <source>Storing the edited resend of delivery %1</source>
        <translation>Speichern der bearbeiteten Neusendung von Zustellung %1</translation>
    </message>
    <message>
        <source>Reading deliveries</source>
        <translation>Lesen der Zustellungen</translation>
    </message>
    <message>
        <source>Renewing the claims on deliveries</source>
        <translation>Verlängern der Ansprüche auf Zustellungen</translation>
    </message>
    <message>
        <source>%1 is an operational event: the engine sends it when a webhook breaks; a test send shows what it looks like.</source>
        <translation>%1 ist ein Betriebsereignis: Die Engine sendet es, wenn ein Webhook ausfällt; ein Testversand zeigt, wie es aussieht.</translation>
    </message>
    <message>
        <source>Storing the %1 event about webhook %2</source>
        <translation>Speichern des Ereignisses %1 über Webhook %2</translation>
    </message>
    <message numerus="yes">
        <source>Delivery %1 (%2) failed for good after %n attempt(s); no attempt follows.</source>
        <translation>
            <numerusform>Zustellung %1 (%2) ist nach %n Versuch endgültig fehlgeschlagen; es folgt kein Versuch mehr.</numerusform>
            <numerusform>Zustellung %1 (%2) ist nach %n Versuchen endgültig fehlgeschlagen; es folgt kein Versuch mehr.</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting attempts over time</source>
        <translation>Zählen der Versuche im Zeitverlauf</translation>
    </message>
</context>
<context>
    <name>DeliveryTrace</name>
    <message>
        <source>queued (never left this machine)</source>
        <translation>eingereiht (hat diesen Rechner nie verlassen)</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>sending the request</source>
        <translation>Senden der Anfrage</translation>
    </message>
    <message>
        <source>awaiting the response</source>
        <translation>Warten auf die Antwort</translation>
    </message>
    <message>
        <source>reading the response</source>
        <translation>Lesen der Antwort</translation>
    </message>
    <message>
        <source>response received</source>
        <translation>Antwort empfangen</translation>
    </message>
    <message>
        <source>HTTP %1 %2</source>
        <translation>HTTP %1 %2</translation>
    </message>
    <message>
        <source> (redirect to %1, not followed)</source>
        <translation> (Weiterleitung nach %1, nicht gefolgt)</translation>
    </message>
    <message>
        <source>timed out after %1 s while %2</source>
        <translation>Zeitüberschreitung nach %1 s; Phase: %2</translation>
    </message>
    <message>
        <source>host name not found (DNS)</source>
        <translation>Hostname nicht gefunden (DNS)</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>TLS handshake failed</source>
        <translation>TLS-Handshake fehlgeschlagen</translation>
    </message>
    <message>
        <source>connection closed before a valid HTTP response arrived (the receiver reset it, or does not speak HTTP)</source>
        <translation>Verbindung geschlossen, bevor eine gültige HTTP-Antwort ankam (der Empfänger hat sie zurückgesetzt oder spricht kein HTTP)</translation>
    </message>
    <message>
        <source>connection closed by the receiver while %1</source>
        <translation>Verbindung vom Empfänger geschlossen (Phase: %1)</translation>
    </message>
    <message>
        <source>protocol error: %1</source>
        <translation>Protokollfehler: %1</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Zugestellt: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Request: %1 %2</source>
        <translation>Anfrage: %1 %2</translation>
    </message>
    <message>
        <source>Error kind: %1</source>
        <translation>Fehlerart: %1</translation>
    </message>
    <message>
        <source>Phase reached: %1</source>
        <translation>Erreichte Phase: %1</translation>
    </message>
    <message>
        <source>%1 at %2 ms</source>
        <translation>%1 bei %2 ms</translation>
    </message>
    <message>
        <source>TLS ready</source>
        <translation>TLS bereit</translation>
    </message>
    <message>
        <source>request sent</source>
        <translation>Anfrage gesendet</translation>
    </message>
    <message>
        <source>response started</source>
        <translation>Antwort begonnen</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>Started: %1</source>
        <translation>Begonnen: %1</translation>
    </message>
    <message>
        <source>Timings: %1</source>
        <translation>Zeiten: %1</translation>
    </message>
    <message>
        <source>Timeout: %1 s for the whole attempt</source>
        <translation>Zeitlimit: %1 s für den gesamten Versuch</translation>
    </message>
    <message>
        <source>TLS error (ignored: verification is off for this webhook): %1</source>
        <translation>TLS-Fehler (ignoriert: die Prüfung ist für diesen Webhook aus): %1</translation>
    </message>
    <message>
        <source>TLS error: %1</source>
        <translation>TLS-Fehler: %1</translation>
    </message>
    <message>
        <source>Redirect target: %1 (redirects are not followed)</source>
        <translation>Weiterleitungsziel: %1 (Weiterleitungen werden nicht verfolgt)</translation>
    </message>
    <message>
        <source>Retry-After: %1 s</source>
        <translation>Retry-After: %1 s</translation>
    </message>
    <message>
        <source>Response: %1 bytes%2</source>
        <translation>Antwort: %1 Bytes%2</translation>
    </message>
    <message>
        <source>, kept the first 64 KiB</source>
        <translation>, die ersten 64 KiB behalten</translation>
    </message>
    <message>
        <source>Attempt %1 of %2</source>
        <translation>Versuch %1 von %2</translation>
    </message>
    <message>
        <source>Webhook deactivated: %1</source>
        <translation>Webhook deaktiviert: %1</translation>
    </message>
    <message>
        <source>Next attempt due: %1</source>
        <translation>Nächster Versuch fällig: %1</translation>
    </message>
    <message>
        <source>No more attempts: the delivery has failed.</source>
        <translation>Keine weiteren Versuche: Die Zustellung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>No further automatic attempt.</source>
        <translation>Kein weiterer automatischer Versuch.</translation>
    </message>
    <message>
        <source>Request: %1 %2 over %3</source>
        <translation>Anfrage: %1 %2 über %3</translation>
    </message>
    <message>
        <source>protocol error: the answer was not valid HTTP (%1)</source>
        <extracomment>%1 is Qt&apos;s name for the error, e.g. ProtocolFailure</extracomment>
        <translation>Protokollfehler: Die Antwort war kein gültiges HTTP (%1)</translation>
    </message>
    <message>
        <source>protocol error: the connection ended before an HTTP status line arrived</source>
        <translation>Protokollfehler: Die Verbindung endete, bevor eine HTTP-Statuszeile ankam</translation>
    </message>
    <message>
        <source>Qt network error: %1</source>
        <translation>Qt-Netzwerkfehler: %1</translation>
    </message>
    <message>
        <source>Qt network error: %1 (%2)</source>
        <translation>Qt-Netzwerkfehler: %1 (%2)</translation>
    </message>
    <message>
        <source>This was the probe of a paused webhook: a success resumes it.</source>
        <translation>Dies war die Probe eines pausierten Webhooks: Ein Erfolg setzt ihn fort.</translation>
    </message>
    <message>
        <source>The delivery has failed.</source>
        <translation>Die Zustellung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The delivery waits for the next probe.</source>
        <translation>Die Zustellung wartet auf die nächste Probe.</translation>
    </message>
</context>
<context>
    <name>DesktopNotifications</name>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
</context>
<context>
    <name>Dispatcher</name>
    <message>
        <source>HTTP/2 (prior knowledge)</source>
        <translation>HTTP/2 (ohne Aushandlung)</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Add webhook</source>
        <translation>Webhook hinzufügen</translation>
    </message>
    <message>
        <source>No webhooks yet</source>
        <translation>Noch keine Webhooks</translation>
    </message>
    <message>
        <source>A webhook sends an HTTP POST request to your URL whenever something happens in a labeling project: tasks are imported, an annotation is created or updated, a project changes. Use it to start training, version a dataset or notify your team.</source>
        <translation>Ein Webhook sendet eine HTTP-POST-Anfrage an Ihre URL, wenn in einem Labeling-Projekt etwas geschieht: Aufgaben importiert, Annotation erstellt oder geändert, Projekt geändert. So starten Sie Trainings, versionieren Datensätze oder informieren Ihr Team.</translation>
    </message>
    <message>
        <source>Add a webhook and choose the events it receives (Ctrl+N)</source>
        <translation>Einen Webhook hinzufügen und die Ereignisse wählen, die er empfängt (Strg+N)</translation>
    </message>
</context>
<context>
    <name>EventCatalog</name>
    <message>
        <source>Project created</source>
        <translation>Projekt erstellt</translation>
    </message>
    <message>
        <source>A new project was created.</source>
        <translation>Ein neues Projekt wurde erstellt.</translation>
    </message>
    <message>
        <source>Project updated</source>
        <translation>Projekt geändert</translation>
    </message>
    <message>
        <source>A project&apos;s settings or labeling configuration changed.</source>
        <translation>Die Einstellungen oder die Labeling-Konfiguration eines Projekts wurden geändert.</translation>
    </message>
    <message>
        <source>Project deleted</source>
        <translation>Projekt gelöscht</translation>
    </message>
    <message>
        <source>A project was deleted; the payload holds only its id.</source>
        <translation>Ein Projekt wurde gelöscht; die Nutzdaten enthalten nur seine ID.</translation>
    </message>
    <message>
        <source>Task created</source>
        <translation>Aufgabe erstellt</translation>
    </message>
    <message>
        <source>Tasks were imported into a project.</source>
        <translation>Aufgaben wurden in ein Projekt importiert.</translation>
    </message>
    <message>
        <source>Task deleted</source>
        <translation>Aufgabe gelöscht</translation>
    </message>
    <message>
        <source>Tasks were deleted; the payload holds only their ids.</source>
        <translation>Aufgaben wurden gelöscht; die Nutzdaten enthalten nur ihre IDs.</translation>
    </message>
    <message>
        <source>Annotation created</source>
        <translation>Annotation erstellt</translation>
    </message>
    <message>
        <source>An annotator submitted an annotation.</source>
        <translation>Eine Annotatorin oder ein Annotator hat eine Annotation abgegeben.</translation>
    </message>
    <message>
        <source>Annotations created</source>
        <translation>Annotationen erstellt</translation>
    </message>
    <message>
        <source>Several annotations were created at once, e.g. by an import.</source>
        <translation>Mehrere Annotationen wurden auf einmal erstellt, z. B. durch einen Import.</translation>
    </message>
    <message>
        <source>Annotation updated</source>
        <translation>Annotation geändert</translation>
    </message>
    <message>
        <source>An existing annotation was changed.</source>
        <translation>Eine vorhandene Annotation wurde geändert.</translation>
    </message>
    <message>
        <source>Annotation deleted</source>
        <translation>Annotation gelöscht</translation>
    </message>
    <message>
        <source>Annotations were deleted; the payload holds only their ids.</source>
        <translation>Annotationen wurden gelöscht; die Nutzdaten enthalten nur ihre IDs.</translation>
    </message>
    <message>
        <source>Label link created</source>
        <translation>Label-Verknüpfung erstellt</translation>
    </message>
    <message>
        <source>Labels were linked to a project&apos;s labeling configuration.</source>
        <translation>Labels wurden mit der Labeling-Konfiguration eines Projekts verknüpft.</translation>
    </message>
    <message>
        <source>Label link updated</source>
        <translation>Label-Verknüpfung geändert</translation>
    </message>
    <message>
        <source>A label link was changed.</source>
        <translation>Eine Label-Verknüpfung wurde geändert.</translation>
    </message>
    <message>
        <source>Label link deleted</source>
        <translation>Label-Verknüpfung gelöscht</translation>
    </message>
    <message>
        <source>A label link was removed; the payload holds only its id.</source>
        <translation>Eine Label-Verknüpfung wurde entfernt; die Nutzdaten enthalten nur ihre ID.</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>Annotations</source>
        <translation>Annotationen</translation>
    </message>
    <message>
        <source>Label links</source>
        <translation>Label-Verknüpfungen</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigene</translation>
    </message>
    <message>
        <source>Webhook disabled</source>
        <translation>Webhook deaktiviert</translation>
    </message>
    <message>
        <source>The engine deactivated a webhook, e.g. after 410 Gone or a long outage.</source>
        <translation>Die Engine hat einen Webhook deaktiviert, z. B. nach 410 Gone oder einem langen Ausfall.</translation>
    </message>
    <message>
        <source>Webhook paused</source>
        <translation>Webhook pausiert</translation>
    </message>
    <message>
        <source>The circuit breaker paused a webhook after failed deliveries in a row.</source>
        <translation>Der Circuit Breaker hat einen Webhook nach mehreren fehlgeschlagenen Zustellungen in Folge pausiert.</translation>
    </message>
    <message>
        <source>Delivery exhausted</source>
        <translation>Zustellung erschöpft</translation>
    </message>
    <message>
        <source>A delivery failed for good: no attempt follows.</source>
        <translation>Eine Zustellung ist endgültig fehlgeschlagen: Es folgt kein Versuch mehr.</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>Betrieb</translation>
    </message>
</context>
<context>
    <name>EventTreeModel</name>
    <message>
        <source>No custom event types yet. Add one with “Add custom event type…”.</source>
        <translation>Noch keine eigenen Ereignistypen. Fügen Sie einen mit „Eigenen Ereignistyp hinzufügen…“ hinzu.</translation>
    </message>
    <message>
        <source>This group has no event types.</source>
        <translation>Diese Gruppe hat keine Ereignistypen.</translation>
    </message>
    <message>
        <source>Check or clear every event in the group %1.</source>
        <translation>Alle Ereignisse der Gruppe %1 auswählen oder abwählen.</translation>
    </message>
    <message>
        <source>%1
Organization-wide event; a project-scoped hook never receives it.</source>
        <translation>%1
Organisationsweites Ereignis; ein Webhook für ein einzelnes Projekt erhält es nie.</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
</context>
<context>
    <name>EventTypeDialog</name>
    <message>
        <source>An &amp;object</source>
        <translation>Ein &amp;Objekt</translation>
    </message>
    <message>
        <source>A &amp;list of objects</source>
        <translation>Eine &amp;Liste von Objekten</translation>
    </message>
    <message>
        <source>Add Custom Event Type</source>
        <translation>Eigenen Ereignistyp hinzufügen</translation>
    </message>
    <message>
        <source>A custom event type can be subscribed to like the built-in ones and sent with &quot;emit&quot; from the command line.</source>
        <translation>Ein eigener Ereignistyp kann wie die eingebauten abonniert und von der Kommandozeile mit „emit“ gesendet werden.</translation>
    </message>
    <message>
        <source>MODEL_TRAINED</source>
        <translation>MODEL_TRAINED</translation>
    </message>
    <message>
        <source>Upper-case letters, digits and underscores, starting with a letter</source>
        <translation>Großbuchstaben, Ziffern und Unterstriche, beginnend mit einem Buchstaben</translation>
    </message>
    <message>
        <source>Model trained</source>
        <translation>Modell trainiert</translation>
    </message>
    <message>
        <source>When this event happens (optional)</source>
        <translation>Wann dieses Ereignis eintritt (optional)</translation>
    </message>
    <message>
        <source>model_version</source>
        <translation>model_version</translation>
    </message>
    <message>
        <source>The key under which the payload appears in the request body</source>
        <translation>Der Schlüssel, unter dem die Nutzdaten im Anfrage-Body stehen</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>&amp;Payload key:</source>
        <translation>N&amp;utzdaten-Schlüssel:</translation>
    </message>
    <message>
        <source>Payload is:</source>
        <translation>Nutzdaten sind:</translation>
    </message>
    <message>
        <source>Add Event Type</source>
        <translation>Ereignistyp hinzufügen</translation>
    </message>
    <message>
        <source>Adding the event type…</source>
        <translation>Der Ereignistyp wird hinzugefügt…</translation>
    </message>
    <message>
        <source>Edit Custom Event Type</source>
        <translation>Eigenen Ereignistyp bearbeiten</translation>
    </message>
    <message>
        <source>Webhooks subscribe by key: it cannot change</source>
        <translation>Webhooks abonnieren über den Schlüssel: Er kann sich nicht ändern</translation>
    </message>
    <message>
        <source>Save Changes</source>
        <translation>Änderungen speichern</translation>
    </message>
    <message>
        <source>Saving the event type…</source>
        <translation>Der Ereignistyp wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>EventTypesDialog</name>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>Event Types</source>
        <translation>Ereignistypen</translation>
    </message>
    <message>
        <source>Built-in event types are read-only. Custom types can be edited and deleted; their key stays, as webhooks subscribe by key.</source>
        <translation>Eingebaute Ereignistypen sind schreibgeschützt. Eigene Typen lassen sich bearbeiten und löschen; ihr Schlüssel bleibt, da Webhooks über den Schlüssel abonnieren.</translation>
    </message>
    <message>
        <source>Event types</source>
        <translation>Ereignistypen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Payload key</source>
        <translation>Nutzdaten-Schlüssel</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Define an event type of your own</source>
        <translation>Einen eigenen Ereignistyp definieren</translation>
    </message>
    <message>
        <source>Change the selected custom type&apos;s name, description or payload</source>
        <translation>Name, Beschreibung oder Nutzdaten des gewählten eigenen Typs ändern</translation>
    </message>
    <message>
        <source>Delete the selected custom type</source>
        <translation>Den gewählten eigenen Typ löschen</translation>
    </message>
    <message>
        <source> (list)</source>
        <translation> (Liste)</translation>
    </message>
    <message>
        <source>Built-in: read-only</source>
        <translation>Eingebaut: schreibgeschützt</translation>
    </message>
    <message>
        <source>%1 is built in: it cannot be edited or deleted.</source>
        <translation>%1 ist eingebaut: Er kann nicht bearbeitet oder gelöscht werden.</translation>
    </message>
    <message>
        <source>Added the event type %1 (%2).</source>
        <translation>Ereignistyp %1 (%2) hinzugefügt.</translation>
    </message>
    <message>
        <source>Saved the event type %1.</source>
        <translation>Ereignistyp %1 gespeichert.</translation>
    </message>
    <message>
        <source>Delete event type</source>
        <translation>Ereignistyp löschen</translation>
    </message>
    <message>
        <source>Delete the event type %1?</source>
        <translation>Den Ereignistyp %1 löschen?</translation>
    </message>
    <message>
        <source>No webhook checks it. Webhooks that send every event no longer receive it; deliveries already stored still go out.</source>
        <translation>Kein Webhook hat ihn ausgewählt. Webhooks, die jedes Ereignis senden, erhalten ihn nicht mehr; bereits gespeicherte Zustellungen gehen trotzdem hinaus.</translation>
    </message>
    <message>
        <source>&amp;Delete Event Type</source>
        <translation>Ereignistyp &amp;löschen</translation>
    </message>
    <message>
        <source>One webhook subscribes to %1.</source>
        <translation>Ein Webhook abonniert %1.</translation>
    </message>
    <message>
        <source>%2 webhooks subscribe to %1.</source>
        <translation>%2 Webhooks abonnieren %1.</translation>
    </message>
    <message>
        <source>Deleting it removes it from their events; deliveries already stored still go out. A webhook left with no event checked receives nothing until you check another.</source>
        <translation>Das Löschen entfernt ihn aus ihren Ereignissen; bereits gespeicherte Zustellungen gehen trotzdem hinaus. Ein Webhook ohne ausgewähltes Ereignis erhält nichts, bis Sie ein anderes auswählen.</translation>
    </message>
    <message>
        <source>&amp;Delete and Unsubscribe One Webhook</source>
        <translation>&amp;Löschen und einen Webhook abmelden</translation>
    </message>
    <message>
        <source>&amp;Delete and Unsubscribe %1 Webhooks</source>
        <translation>&amp;Löschen und %1 Webhooks abmelden</translation>
    </message>
    <message>
        <source>Deleting the event type %1…</source>
        <translation>Der Ereignistyp %1 wird gelöscht…</translation>
    </message>
    <message>
        <source>The webhooks that check it changed meanwhile; nothing was deleted. Try again.</source>
        <translation>Die Webhooks, die ihn ausgewählt haben, haben sich inzwischen geändert; nichts wurde gelöscht. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The event type was not deleted: %1</source>
        <translation>Der Ereignistyp wurde nicht gelöscht: %1</translation>
    </message>
    <message>
        <source>Deleted the event type %1.</source>
        <translation>Ereignistyp %1 gelöscht.</translation>
    </message>
    <message>
        <source>Deleted the event type %1; webhooks unsubscribed: %2.</source>
        <translation>Ereignistyp %1 gelöscht; abgemeldete Webhooks: %2.</translation>
    </message>
</context>
<context>
    <name>FailureFeed</name>
    <message>
        <source>Looking for failed deliveries</source>
        <translation>Suche nach fehlgeschlagenen Zustellungen</translation>
    </message>
</context>
<context>
    <name>FailureNotifier</name>
    <message>
        <source>Webhook %1 (%2) is paused: %3</source>
        <extracomment>%1 hook id, %2 its URL (passwords masked), %3 why</extracomment>
        <translation>Webhook %1 (%2) ist pausiert: %3</translation>
    </message>
    <message>
        <source>Webhook %1 (%2) was deactivated: %3</source>
        <translation>Webhook %1 (%2) wurde deaktiviert: %3</translation>
    </message>
    <message>
        <source>%1 delivery %2 to webhook %3 (%4) failed after all attempts: %5</source>
        <extracomment>%1 event key, %2 delivery id, %3 hook id, %4 its URL, %5 the last error</extracomment>
        <translation>%1-Zustellung %2 an Webhook %3 (%4) ist nach allen Versuchen fehlgeschlagen: %5</translation>
    </message>
    <message>
        <source>Webhook paused</source>
        <translation>Webhook pausiert</translation>
    </message>
    <message>
        <source>Webhook deactivated</source>
        <translation>Webhook deaktiviert</translation>
    </message>
    <message>
        <source>Delivery failed</source>
        <translation>Zustellung fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>%n deliveries failed after all attempts</source>
        <translation>
            <numerusform>%n Zustellung nach allen Versuchen fehlgeschlagen</numerusform>
            <numerusform>%n Zustellungen nach allen Versuchen fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n webhooks paused or deactivated</source>
        <translation>
            <numerusform>%n Webhook pausiert oder deaktiviert</numerusform>
            <numerusform>%n Webhooks pausiert oder deaktiviert</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <extracomment>Joins &quot;5 deliveries failed...&quot; and &quot;2 webhooks paused...&quot;</extracomment>
        <translation>; </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more; the delivery log has them all.</source>
        <translation>
            <numerusform>…und %n weitere; das Zustellprotokoll zeigt alle.</numerusform>
            <numerusform>…und %n weitere; das Zustellprotokoll zeigt alle.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterTrial</name>
    <message>
        <source>matches</source>
        <translation>passt</translation>
    </message>
    <message>
        <source>does not match: %1</source>
        <translation>passt nicht: %1</translation>
    </message>
    <message>
        <source>no stored events of this webhook&apos;s event types yet</source>
        <translation>noch keine gespeicherten Ereignisse der Ereignistypen dieses Webhooks</translation>
    </message>
    <message>
        <source>would have matched %1 of %2 stored events</source>
        <translation>hätte auf %1 von %2 gespeicherten Ereignissen gepasst</translation>
    </message>
</context>
<context>
    <name>GeneralPreferencesPage</name>
    <message>
        <source>Up to 20 comma-separated seconds, each at most a week (604800), e.g. 0,5,300.</source>
        <translation>Bis zu 20 durch Kommas getrennte Sekundenwerte, jeder höchstens eine Woche (604800), z. B. 0,5,300.</translation>
    </message>
    <message>
        <source>Enter a whole number, not &quot;%1&quot;.</source>
        <translation>Geben Sie eine ganze Zahl ein, nicht „%1“.</translation>
    </message>
    <message>
        <source>&amp;Default</source>
        <translation>&amp;Standard</translation>
    </message>
    <message>
        <source>Seconds before each attempt, comma-separated; ±10 % jitter is added. &quot;default&quot; restores the built-in schedule.</source>
        <translation>Sekunden vor jedem Versuch, durch Kommas getrennt; ±10 % Streuung kommen hinzu. „default“ stellt den eingebauten Plan wieder her.</translation>
    </message>
    <message>
        <source>Put back the built-in schedule</source>
        <translation>Den eingebauten Plan wiederherstellen</translation>
    </message>
    <message>
        <source>Deactivate a hook after this many failed deliveries in a row; 0 never deactivates</source>
        <translation>Einen Hook nach so vielen fehlgeschlagenen Zustellungen in Folge deaktivieren; 0 deaktiviert nie</translation>
    </message>
    <message>
        <source>Attempts older than this are deleted from the log</source>
        <translation>Versuche, die älter sind, werden aus dem Protokoll gelöscht</translation>
    </message>
    <message>
        <source>The timeout a new webhook starts with, in seconds (this computer only; WEBHOOK_TIMEOUT sets it when it is not set here)</source>
        <translation>Das Zeitlimit, mit dem ein neuer Webhook beginnt, in Sekunden (nur auf diesem Computer; WEBHOOK_TIMEOUT legt es fest, wenn es hier nicht gesetzt ist)</translation>
    </message>
    <message>
        <source>Kept in the database file, for every program that opens it:</source>
        <translation>In der Datenbankdatei gespeichert, für jedes Programm, das sie öffnet:</translation>
    </message>
    <message>
        <source>&amp;Retry schedule (s):</source>
        <translation>&amp;Wiederholungsplan (s):</translation>
    </message>
    <message>
        <source>&amp;Failure threshold:</source>
        <translation>&amp;Fehlerschwelle:</translation>
    </message>
    <message>
        <source>On this computer:</source>
        <translation>Auf diesem Computer:</translation>
    </message>
    <message>
        <source>Default &amp;timeout (s):</source>
        <translation>Standard-&amp;Zeitlimit (s):</translation>
    </message>
    <message>
        <source>Another program is writing to the database; nothing was saved. Try again in a moment.</source>
        <translation>Ein anderes Programm schreibt gerade in die Datenbank; nichts wurde gespeichert. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation>Nichts wurde gespeichert: %1</translation>
    </message>
    <message>
        <source>&amp;Keep the log for (days):</source>
        <translation>Protokoll aufbewahren (&amp;Tage):</translation>
    </message>
    <message>
        <source>Show a desktop notification when a webhook breaks</source>
        <translation>Desktop-Benachrichtigung zeigen, wenn ein Webhook ausfällt</translation>
    </message>
    <message>
        <source>When a webhook is paused or deactivated, or a delivery has used all its attempts; a burst makes one notification a minute</source>
        <translation>Wenn ein Webhook pausiert oder deaktiviert wird oder eine Zustellung alle Versuche verbraucht hat; eine Häufung ergibt eine Benachrichtigung pro Minute</translation>
    </message>
    <message>
        <source>Saving the preferences…</source>
        <translation>Die Einstellungen werden gespeichert…</translation>
    </message>
</context>
<context>
    <name>HeaderTableDelegate</name>
    <message>
        <source>X-Custom-Header</source>
        <translation>X-Custom-Header</translation>
    </message>
</context>
<context>
    <name>HeaderTableModel</name>
    <message>
        <source>A secret value is masked wherever it is shown or exported.</source>
        <translation>Ein geheimer Wert wird überall maskiert, wo er angezeigt oder exportiert wird.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheim</translation>
    </message>
    <message>
        <source>%1 looks like a credential: tick Secret to mask its value wherever it is shown or exported.</source>
        <extracomment>%1 is a header name such as Authorization</extracomment>
        <translation>%1 sieht nach Zugangsdaten aus: Kreuzen Sie Geheim an, damit der Wert überall maskiert wird, wo er angezeigt oder exportiert wird.</translation>
    </message>
</context>
<context>
    <name>HookEditor</name>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>https://example.com/webhooks/label-studio</source>
        <translation>https://example.com/webhooks/label-studio</translation>
    </message>
    <message>
        <source>Where each event is POSTed. http and https only; a host name without a dot, such as a Docker service name, is fine.</source>
        <translation>Wohin jedes Ereignis per POST gesendet wird. Nur http und https; ein Hostname ohne Punkt, etwa ein Docker-Dienstname, ist in Ordnung.</translation>
    </message>
    <message>
        <source>&amp;Active</source>
        <translation>Akti&amp;v</translation>
    </message>
    <message>
        <source>An inactive hook keeps its settings but receives nothing.</source>
        <translation>Ein inaktiver Webhook behält seine Einstellungen, empfängt aber nichts.</translation>
    </message>
    <message>
        <source>Payload &amp;URL:</source>
        <translation>Ziel-&amp;URL:</translation>
    </message>
    <message>
        <source>A hook scoped to one project fires only for that project&apos;s events; an organization-wide hook fires for all of them.</source>
        <translation>Ein Webhook für ein einzelnes Projekt wird nur bei dessen Ereignissen ausgelöst; ein organisationsweiter bei allen.</translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>Add a project to the list.</source>
        <translation>Ein Projekt zur Liste hinzufügen.</translation>
    </message>
    <message>
        <source>Pro&amp;ject:</source>
        <translation>Pro&amp;jekt:</translation>
    </message>
    <message>
        <source>What the receiver does with these events</source>
        <translation>Was der Empfänger mit diesen Ereignissen macht</translation>
    </message>
    <message>
        <source>Descr&amp;iption:</source>
        <translation>Bes&amp;chreibung:</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Sent after the standard headers. Secret values are masked everywhere.</source>
        <translation>Nach den Standard-Headern gesendet. Geheime Werte werden überall maskiert.</translation>
    </message>
    <message>
        <source>Double-click a cell or start typing to edit it.</source>
        <translation>Doppelklicken Sie auf eine Zelle oder beginnen Sie zu tippen, um sie zu bearbeiten.</translation>
    </message>
    <message>
        <source>Add heade&amp;r</source>
        <translation>Header hinzu&amp;fügen</translation>
    </message>
    <message>
        <source>Add a row and start typing its name.</source>
        <translation>Eine Zeile hinzufügen und mit dem Namen beginnen.</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>Header entfernen</translation>
    </message>
    <message>
        <source>Remove the selected rows.</source>
        <translation>Die ausgewählten Zeilen entfernen.</translation>
    </message>
    <message>
        <source>Payload and events</source>
        <translation>Nutzdaten und Ereignisse</translation>
    </message>
    <message>
        <source>Send &amp;payload</source>
        <translation>Pa&amp;yload senden</translation>
    </message>
    <message>
        <source>When off, the body holds only the action, e.g. {&quot;action&quot;: &quot;TASKS_CREATED&quot;}.</source>
        <translation>Wenn aus, enthält der Body nur die Aktion, z. B. {&quot;action&quot;: &quot;TASKS_CREATED&quot;}.</translation>
    </message>
    <message>
        <source>Send for a&amp;ll actions</source>
        <translation>Für alle Ak&amp;tionen senden</translation>
    </message>
    <message>
        <source>When off, the hook fires only for the events checked below.</source>
        <translation>Wenn aus, wird der Webhook nur bei den unten ausgewählten Ereignissen ausgelöst.</translation>
    </message>
    <message>
        <source>Check the events this hook fires for. A group&apos;s check box selects all or none of its events.</source>
        <translation>Wählen Sie die Ereignisse, bei denen dieser Webhook ausgelöst wird. Das Kästchen einer Gruppe wählt alle oder keines ihrer Ereignisse.</translation>
    </message>
    <message>
        <source>Add &amp;custom event type…</source>
        <translation>&amp;Eigenen Ereignistyp hinzufügen…</translation>
    </message>
    <message>
        <source>Define an event of your own; it appears under Custom.</source>
        <translation>Ein eigenes Ereignis definieren; es erscheint unter „Eigene“.</translation>
    </message>
    <message>
        <source>Signing</source>
        <translation>Signierung</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Requests are not signed.</source>
        <translation>Anfragen werden nicht signiert.</translation>
    </message>
    <message>
        <source>Standard Webhooks</source>
        <translation>Standard Webhooks</translation>
    </message>
    <message>
        <source>webhook-signature: v1,&lt;base64 HMAC-SHA256 of id.timestamp.body&gt;; the secret is written whsec_&lt;base64 key&gt;.</source>
        <translation>webhook-signature: v1,&lt;Base64-HMAC-SHA256 von id.timestamp.body&gt;; das Geheimnis hat die Form whsec_&lt;Base64-Schlüssel&gt;.</translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation>GitHub</translation>
    </message>
    <message>
        <source>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;.</source>
        <translation>X-Hub-Signature-256: sha256=&lt;Hex-HMAC-SHA256 des Bodys&gt;.</translation>
    </message>
    <message>
        <source>Si&amp;gnature:</source>
        <translation>Si&amp;gnatur:</translation>
    </message>
    <message>
        <source>Secre&amp;t:</source>
        <translation>Geheimn&amp;is:</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Zustellung</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>How long one attempt may take before it counts as failed.</source>
        <translation>Wie lange ein Versuch dauern darf, bevor er als fehlgeschlagen gilt.</translation>
    </message>
    <message>
        <source>Time&amp;out:</source>
        <translation>Zeitli&amp;mit:</translation>
    </message>
    <message>
        <source>1 (never retry)</source>
        <translation>1 (nie wiederholen)</translation>
    </message>
    <message>
        <source>Attempts per delivery, the first one included. 1 = never retry; the default of 8 retries for about a day.</source>
        <translation>Versuche pro Zustellung, den ersten eingeschlossen. 1 = nie wiederholen; der Standardwert 8 wiederholt etwa einen Tag lang.</translation>
    </message>
    <message>
        <source>Atte&amp;mpts:</source>
        <translation>Ve&amp;rsuche:</translation>
    </message>
    <message>
        <source>Switch off only for a receiver you control that uses a self-signed certificate: anyone in between could read and change the requests.</source>
        <translation>Nur für einen eigenen Empfänger mit selbstsigniertem Zertifikat ausschalten: Jeder dazwischen könnte die Anfragen lesen und ändern.</translation>
    </message>
    <message>
        <source>Certificate checks are off: requests to this webhook can be read and changed by anyone in between.</source>
        <translation>Zertifikatsprüfung aus: Anfragen an diesen Webhook können von jedem dazwischen gelesen und geändert werden.</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>Delete this webhook after asking.</source>
        <translation>Diesen Webhook nach Rückfrage löschen.</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Throw away the unsaved changes.</source>
        <translation>Die nicht gespeicherten Änderungen verwerfen.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the webhook. Fix the fields marked in red first.</source>
        <translation>Den Webhook speichern. Korrigieren Sie zuerst die rot markierten Felder.</translation>
    </message>
    <message>
        <source>None yet: add one with the button below.</source>
        <translation>Noch keine: Fügen Sie mit der Schaltfläche unten eines hinzu.</translation>
    </message>
    <message>
        <source>No event types.</source>
        <translation>Keine Ereignistypen.</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Alle auswählen</translation>
    </message>
    <message>
        <source>Check every event in %1.</source>
        <translation>Alle Ereignisse in %1 auswählen.</translation>
    </message>
    <message>
        <source>Select none</source>
        <translation>Keine auswählen</translation>
    </message>
    <message>
        <source>Clear every event in %1.</source>
        <translation>Alle Ereignisse in %1 abwählen.</translation>
    </message>
    <message>
        <source>Organization-wide events (%1) cannot be checked: a hook scoped to one project never receives them.</source>
        <translation>Organisationsweite Ereignisse (%1) können nicht ausgewählt werden: Ein Webhook für ein einzelnes Projekt erhält sie nie.</translation>
    </message>
    <message>
        <source>New webhook</source>
        <translation>Neuer Webhook</translation>
    </message>
    <message>
        <source>Not saved yet.</source>
        <translation>Noch nicht gespeichert.</translation>
    </message>
    <message>
        <source>Webhook %1</source>
        <translation>Webhook %1</translation>
    </message>
    <message>
        <source>Created %1, last changed %2.</source>
        <translation>Erstellt %1, zuletzt geändert %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n consecutive failed deliveries.</source>
        <translation>
            <numerusform>%n fehlgeschlagene Zustellung in Folge.</numerusform>
            <numerusform>%n fehlgeschlagene Zustellungen in Folge.</numerusform>
        </translation>
    </message>
    <message>
        <source>Deactivated: %1</source>
        <translation>Deaktiviert: %1</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>The webhook was not saved: fix the fields marked in red.</source>
        <translation>Der Webhook wurde nicht gespeichert: Korrigieren Sie die rot markierten Felder.</translation>
    </message>
    <message>
        <source>The webhook was not saved: %1</source>
        <translation>Der Webhook wurde nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Delete webhook</source>
        <translation>Webhook löschen</translation>
    </message>
    <message>
        <source>Delete the webhook for %1?</source>
        <translation>Den Webhook für %1 löschen?</translation>
    </message>
    <message>
        <source>Its settings are removed for good; this cannot be undone.</source>
        <translation>Seine Einstellungen werden endgültig entfernt; dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>The webhook was not deleted: %1</source>
        <translation>Der Webhook wurde nicht gelöscht: %1</translation>
    </message>
    <message>
        <source>The new webhook has unsaved changes.</source>
        <translation>Der neue Webhook hat nicht gespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>The webhook for %1 has unsaved changes.</source>
        <translation>Der Webhook für %1 hat nicht gespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Nicht gespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Do you want to save them?</source>
        <translation>Möchten Sie sie speichern?</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Project &amp;title:</source>
        <translation>Projekt&amp;titel:</translation>
    </message>
    <message>
        <source>The project was not added: %1</source>
        <translation>Das Projekt wurde nicht hinzugefügt: %1</translation>
    </message>
    <message>
        <source>Automatic (HTTP/2 over TLS when offered)</source>
        <translation>Automatisch (HTTP/2 über TLS, wenn angeboten)</translation>
    </message>
    <message>
        <source>HTTP/2 when an https receiver offers it while connecting, otherwise HTTP/1.1. Right for almost every receiver.</source>
        <translation>HTTP/2, wenn ein https-Empfänger es beim Verbindungsaufbau anbietet, sonst HTTP/1.1. Richtig für fast jeden Empfänger.</translation>
    </message>
    <message>
        <source>HTTP/1.1 only</source>
        <translation>Nur HTTP/1.1</translation>
    </message>
    <message>
        <source>Never HTTP/2, even when the receiver offers it.</source>
        <translation>Nie HTTP/2, auch wenn der Empfänger es anbietet.</translation>
    </message>
    <message>
        <source>HTTP/2 with prior knowledge</source>
        <translation>HTTP/2 ohne Aushandlung (Prior Knowledge)</translation>
    </message>
    <message>
        <source>HTTP/2 from the first byte, also over plain http (h2c), without asking the receiver first.</source>
        <translation>HTTP/2 ab dem ersten Byte, auch über einfaches http (h2c), ohne den Empfänger vorher zu fragen.</translation>
    </message>
    <message>
        <source>HTTP version:</source>
        <translation>HTTP-Version:</translation>
    </message>
    <message>
        <source>With prior knowledge, HTTP/2 starts without negotiating: only for a receiver known to speak it that way; with any other receiver every attempt fails.</source>
        <translation>Mit Prior Knowledge beginnt HTTP/2 ohne Aushandlung: nur für einen Empfänger, der es bekanntermaßen so spricht; bei jedem anderen Empfänger schlägt jeder Versuch fehl.</translation>
    </message>
    <message>
        <source>Use local inbox</source>
        <translation>Lokaler Posteingang</translation>
    </message>
    <message>
        <source>Turn the listener on in Preferences to send this hook to the local inbox.</source>
        <translation>Schalten Sie den Listener in den Einstellungen ein, um diesen Webhook an den lokalen Posteingang zu senden.</translation>
    </message>
    <message>
        <source>Send this hook to the local inbox at %1/inbox/, to see what it sends.</source>
        <translation>Diesen Webhook an den lokalen Posteingang unter %1/inbox/ senden, um zu sehen, was er sendet.</translation>
    </message>
    <message>
        <source>Its settings are removed for good. Its one recorded attempt stays in the delivery log, marked &quot;deleted webhook&quot;, until retention removes it.</source>
        <translation>Seine Einstellungen werden endgültig entfernt. Sein aufgezeichneter Versuch bleibt im Zustellprotokoll, markiert als „gelöschter Webhook“, bis die Aufbewahrungsfrist ihn entfernt.</translation>
    </message>
    <message>
        <source>Its settings are removed for good. Its %1 recorded attempts stay in the delivery log, marked &quot;deleted webhook&quot;, until retention removes them.</source>
        <extracomment>%1 is a number greater than one</extracomment>
        <translation>Seine Einstellungen werden endgültig entfernt. Seine %1 aufgezeichneten Versuche bleiben im Zustellprotokoll, markiert als „gelöschter Webhook“, bis die Aufbewahrungsfrist sie entfernt.</translation>
    </message>
    <message>
        <source>&amp;Also delete its attempt</source>
        <translation>Auch seinen &amp;Versuch löschen</translation>
    </message>
    <message>
        <source>&amp;Also delete its %1 attempts</source>
        <translation>Auch seine %1 &amp;Versuche löschen</translation>
    </message>
    <message>
        <source>Deac&amp;tivate Instead</source>
        <translation>Stattdessen &amp;deaktivieren</translation>
    </message>
    <message>
        <source>Keep the webhook and its settings, but send it nothing</source>
        <translation>Den Webhook und seine Einstellungen behalten, aber nichts mehr an ihn senden</translation>
    </message>
    <message>
        <source>The webhook was not deactivated: %1</source>
        <translation>Der Webhook wurde nicht deaktiviert: %1</translation>
    </message>
    <message>
        <source>Rotate secret…</source>
        <translation>Geheimnis wechseln…</translation>
    </message>
    <message>
        <source>A new secret for the saved hook; the old one can keep signing for a while, so receivers switch over without rejecting requests.</source>
        <translation>Ein neues Geheimnis für den gespeicherten Webhook; das alte kann noch eine Weile mitsignieren, damit Empfänger umstellen, ohne Anfragen abzulehnen.</translation>
    </message>
    <message>
        <source>Previous secret valid until %1; requests carry both signatures until then.</source>
        <translation>Voriges Geheimnis gültig bis %1; bis dahin tragen Anfragen beide Signaturen.</translation>
    </message>
    <message numerus="yes">
        <source>%n previous secrets still sign, the newest until %1.</source>
        <translation>
            <numerusform>%n früheres Geheimnis signiert noch, das neueste bis %1.</numerusform>
            <numerusform>%n frühere Geheimnisse signieren noch, das neueste bis %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>GitHub signs with one secret: rotating switches to the new one at once.</source>
        <translation>GitHub signiert mit einem Geheimnis: ein Wechsel gilt sofort.</translation>
    </message>
    <message>
        <source>Finished attempts queued in the window; p50 and p95: the duration half and 95 % of them stayed within</source>
        <translation>Beendete Versuche, die im Zeitfenster anstanden; p50 und p95: die Dauer, die die Hälfte bzw. 95 % von ihnen nicht überschritten</translation>
    </message>
    <message>
        <source>Health:</source>
        <translation>Zustellbilanz:</translation>
    </message>
    <message>
        <source>Chec&amp;k the receiver&apos;s TLS certificate</source>
        <translation>TLS-Zertifikat des Empfängers &amp;prüfen</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>%1 looks like a credential: tick Secret to mask it wherever it is shown or exported.</source>
        <extracomment>%1 is a header name, e.g. Authorization</extracomment>
        <translation>%1 sieht nach Zugangsdaten aus: Kreuzen Sie Geheim an, damit der Wert überall maskiert wird, wo er angezeigt oder exportiert wird.</translation>
    </message>
    <message>
        <source>%1 look like credentials: tick Secret to mask them wherever they are shown or exported.</source>
        <translation>%1 sehen nach Zugangsdaten aus: Kreuzen Sie Geheim an, damit die Werte überall maskiert werden, wo sie angezeigt oder exportiert werden.</translation>
    </message>
    <message>
        <source>Receiver code…</source>
        <translation>Empfänger-Code…</translation>
    </message>
    <message>
        <source>Code a receiver can use to verify this scheme&apos;s signatures: Python, Node.js, Go</source>
        <translation>Code, mit dem ein Empfänger die Signaturen dieses Verfahrens prüft: Python, Node.js, Go</translation>
    </message>
    <message>
        <source>Resuming the webhook…</source>
        <translation>Der Webhook wird fortgesetzt…</translation>
    </message>
    <message>
        <source>Copy of webhook %1</source>
        <extracomment>%1 is the number of the webhook that was duplicated</extracomment>
        <translation>Kopie von Webhook %1</translation>
    </message>
    <message>
        <source>Not saved yet. It has a signing secret of its own.</source>
        <translation>Noch nicht gespeichert. Sie hat ein eigenes Signaturgeheimnis.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Speichert…</translation>
    </message>
    <message>
        <source>Rotating the signing secret…</source>
        <translation>Das Signaturgeheimnis wird gewechselt…</translation>
    </message>
    <message>
        <source>Saving the webhook…</source>
        <translation>Der Webhook wird gespeichert…</translation>
    </message>
    <message>
        <source>Deleting the webhook…</source>
        <translation>Der Webhook wird gelöscht…</translation>
    </message>
    <message>
        <source>Deactivating the webhook…</source>
        <translation>Der Webhook wird deaktiviert…</translation>
    </message>
    <message>
        <source>Adding the project…</source>
        <translation>Das Projekt wird hinzugefügt…</translation>
    </message>
    <message>
        <source>Sample payload</source>
        <translation>Beispiel-Nutzdaten</translation>
    </message>
    <message>
        <source>Show the body the selected event&apos;s sample payload makes, as this webhook sends it</source>
        <translation>Den Body zeigen, den die Beispiel-Nutzdaten des gewählten Ereignisses ergeben, so wie dieser Webhook ihn sendet</translation>
    </message>
</context>
<context>
    <name>HookFilterSection</name>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>Only events whose body matches are sent; the others are logged as filtered. Keys are dotted paths (annotation.ground_truth, tasks.0.id); a value means equal; $eq $neq $in $nin $gt $gte $lt $lte $exists $regex test it; $and $or $not combine. Empty: every event is sent.</source>
        <translation>Nur Ereignisse, deren Body passt, werden gesendet; die anderen werden als gefiltert protokolliert. Schlüssel sind Pfade mit Punkten (annotation.ground_truth, tasks.0.id); ein Wert bedeutet Gleichheit; $eq $neq $in $nin $gt $gte $lt $lte $exists $regex prüfen ihn; $and $or $not kombinieren. Leer: Jedes Ereignis wird gesendet.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>Runs the filter on the chosen event&apos;s sample body, or on the pasted body.</source>
        <translation>Prüft den Filter am Beispiel-Body des gewählten Ereignisses oder am eingefügten Body.</translation>
    </message>
    <message>
        <source>Test on:</source>
        <translation>Testen an:</translation>
    </message>
    <message>
        <source>Paste a body as it is sent, with &quot;action&quot;.</source>
        <translation>Fügen Sie einen Body ein, wie er gesendet wird, mit „action“.</translation>
    </message>
    <message>
        <source>What if…</source>
        <translation>Was wäre, wenn…</translation>
    </message>
    <message>
        <source>Runs the filter over the last %L1 stored events of this webhook&apos;s event types.</source>
        <translation>Wendet den Filter auf die letzten %L1 gespeicherten Ereignisse der Ereignistypen dieses Webhooks an.</translation>
    </message>
    <message>
        <source>%1 sample</source>
        <translation>Beispiel %1</translation>
    </message>
    <message>
        <source>Pasted body</source>
        <translation>Eingefügter Body</translation>
    </message>
    <message>
        <source>No filter: every event is sent.</source>
        <translation>Kein Filter: Jedes Ereignis wird gesendet.</translation>
    </message>
    <message numerus="yes">
        <source>A valid filter of %n condition(s).</source>
        <translation>
            <numerusform>Ein gültiger Filter mit %n Bedingung.</numerusform>
            <numerusform>Ein gültiger Filter mit %n Bedingungen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The pasted body is not a JSON object.</source>
        <translation>Der eingefügte Body ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Zähle…</translation>
    </message>
</context>
<context>
    <name>HookListModel</name>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inaktiv</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Where the webhook sends its requests</source>
        <translation>Wohin der Webhook seine Anfragen sendet</translation>
    </message>
    <message>
        <source>The project whose events the webhook receives, or the whole organization</source>
        <translation>Das Projekt, dessen Ereignisse der Webhook empfängt, oder die ganze Organisation</translation>
    </message>
    <message>
        <source>Inactive webhooks send nothing</source>
        <translation>Inaktive Webhooks senden nichts</translation>
    </message>
    <message>
        <source>The events the webhook is subscribed to</source>
        <translation>Die Ereignisse, die der Webhook abonniert hat</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <source>No events</source>
        <translation>Keine Ereignisse</translation>
    </message>
    <message>
        <source>, </source>
        <extracomment>Separates event names in the hook list, e.g. &quot;Task created, Task deleted&quot;</extracomment>
        <translation>, </translation>
    </message>
    <message>
        <source>Sent for every event, including custom event types added later</source>
        <translation>Wird bei jedem Ereignis gesendet, auch bei später hinzugefügten eigenen Ereignistypen</translation>
    </message>
    <message>
        <source>Subscribed to no events: this webhook sends nothing</source>
        <translation>Keine Ereignisse abonniert: Dieser Webhook sendet nichts</translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation>%1

%2</translation>
    </message>
    <message>
        <source>Receives the events of every project and of the organization</source>
        <translation>Empfängt die Ereignisse aller Projekte und der Organisation</translation>
    </message>
    <message>
        <source>Receives only the events of project &quot;%1&quot;</source>
        <translation>Empfängt nur die Ereignisse des Projekts „%1“</translation>
    </message>
    <message>
        <source>Active: sends requests when its events happen</source>
        <translation>Aktiv: sendet Anfragen, wenn seine Ereignisse eintreten</translation>
    </message>
    <message>
        <source>Disabled automatically: %1</source>
        <translation>Automatisch deaktiviert: %1</translation>
    </message>
    <message>
        <source>Inactive: sends nothing</source>
        <translation>Inaktiv: sendet nichts</translation>
    </message>
    <message>
        <source>Recent</source>
        <extracomment>Column header: the outcomes of the last deliveries</extracomment>
        <translation>Zuletzt</translation>
    </message>
    <message>
        <source>The outcomes of the last deliveries, newest on the right</source>
        <translation>Die Ergebnisse der letzten Zustellungen, die neueste rechts</translation>
    </message>
    <message numerus="yes">
        <source>%n events</source>
        <extracomment>Only used for three or more events</extracomment>
        <translation>
            <numerusform>%n Ereignis</numerusform>
            <numerusform>%n Ereignisse</numerusform>
        </translation>
    </message>
    <message>
        <source>No finished deliveries yet</source>
        <translation>Noch keine abgeschlossenen Zustellungen</translation>
    </message>
    <message numerus="yes">
        <source>%1 of the last %n attempts failed</source>
        <extracomment>%1 is how many of them failed</extracomment>
        <translation>
            <numerusform>%1 von %n letzten Versuch fehlgeschlagen</numerusform>
            <numerusform>%1 der letzten %n Versuche sind fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempts in a row</source>
        <extracomment>Scheduled attempts that failed one after the other (test sends do not count)</extracomment>
        <translation>
            <numerusform>%n fehlgeschlagener Versuch in Folge</numerusform>
            <numerusform>%n fehlgeschlagene Versuche in Folge</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused · probing</source>
        <extracomment>Badge of a hook the circuit breaker paused</extracomment>
        <translation>Pausiert · Probe läuft</translation>
    </message>
    <message>
        <source>Paused · next probe in %1 s</source>
        <extracomment>Badge of a hook the circuit breaker paused; %1 is seconds</extracomment>
        <translation>Pausiert · nächste Probe in %1 s</translation>
    </message>
    <message>
        <source>Paused · next probe in %1 min</source>
        <extracomment>Badge of a hook the circuit breaker paused; %1 is minutes</extracomment>
        <translation>Pausiert · nächste Probe in %1 min</translation>
    </message>
    <message>
        <source>ID</source>
        <extracomment>Column header: the webhook&apos;s number, as the command line takes it</extracomment>
        <translation>ID</translation>
    </message>
    <message>
        <source>The webhook&apos;s number, as `hooks show ID` and the log&apos;s filter name it</source>
        <translation>Die Nummer des Webhooks, wie `hooks show ID` und der Filter des Protokolls sie nennen</translation>
    </message>
    <message>
        <source>Activating the webhook…</source>
        <translation>Der Webhook wird aktiviert…</translation>
    </message>
    <message>
        <source>Deactivating the webhook…</source>
        <translation>Der Webhook wird deaktiviert…</translation>
    </message>
</context>
<context>
    <name>HookStatsStore</name>
    <message>
        <source>Reading the delivery statistics of webhook %1</source>
        <translation>Lesen der Zustellstatistik von Webhook %1</translation>
    </message>
    <message>
        <source>%1: no finished attempts</source>
        <extracomment>%1 is &quot;Last 24 hours&quot; or &quot;Last 7 days&quot;</extracomment>
        <translation>%1: keine beendeten Versuche</translation>
    </message>
    <message>
        <source>%1: %2 deliveries, %3 % succeeded, p50 %4 ms, p95 %5 ms</source>
        <extracomment>%1 the window, %2 deliveries, %3 percent succeeded, %4 and %5 milliseconds</extracomment>
        <translation>%1: %2 Zustellungen, %3 % erfolgreich, p50 %4 ms, p95 %5 ms</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
</context>
<context>
    <name>HookStore</name>
    <message>
        <source>Reading webhooks</source>
        <translation>Lesen der Webhooks</translation>
    </message>
    <message>
        <source>Reading webhook headers</source>
        <translation>Lesen der Webhook-Header</translation>
    </message>
    <message>
        <source>Reading webhook events</source>
        <translation>Lesen der Webhook-Ereignisse</translation>
    </message>
    <message>
        <source>There is no webhook with id %1.</source>
        <translation>Es gibt keinen Webhook mit der ID %1.</translation>
    </message>
    <message>
        <source>Saving the webhook for %1</source>
        <translation>Speichern des Webhooks für %1</translation>
    </message>
    <message>
        <source>Saving the webhook</source>
        <translation>Speichern des Webhooks</translation>
    </message>
    <message>
        <source>Entry %1 (%2): %3</source>
        <translation>Eintrag %1 (%2): %3</translation>
    </message>
    <message>
        <source>Importing webhooks</source>
        <translation>Importieren der Webhooks</translation>
    </message>
    <message>
        <source>Deleting webhook %1</source>
        <translation>Löschen von Webhook %1</translation>
    </message>
    <message>
        <source>Changing webhook %1</source>
        <translation>Ändern von Webhook %1</translation>
    </message>
    <message>
        <source>Reading projects</source>
        <translation>Lesen der Projekte</translation>
    </message>
    <message>
        <source>A project needs a title.</source>
        <translation>Ein Projekt braucht einen Titel.</translation>
    </message>
    <message>
        <source>A project title has at most 200 characters.</source>
        <translation>Ein Projekttitel hat höchstens 200 Zeichen.</translation>
    </message>
    <message>
        <source>Adding project %1</source>
        <translation>Hinzufügen von Projekt %1</translation>
    </message>
    <message>
        <source>Reading event types</source>
        <translation>Lesen der Ereignistypen</translation>
    </message>
    <message>
        <source>An event type %1 exists already.</source>
        <translation>Einen Ereignistyp %1 gibt es bereits.</translation>
    </message>
    <message>
        <source>An event type needs a display name.</source>
        <translation>Ein Ereignistyp braucht einen Anzeigenamen.</translation>
    </message>
    <message>
        <source>An event name has at most 100 characters.</source>
        <translation>Ein Ereignisname hat höchstens 100 Zeichen.</translation>
    </message>
    <message>
        <source>The payload key must be lower_snake_case, for example model_version.</source>
        <translation>Der Nutzdaten-Schlüssel muss in lower_snake_case sein, zum Beispiel model_version.</translation>
    </message>
    <message>
        <source>The payload key cannot be &quot;action&quot; or &quot;project&quot;; the body has those already.</source>
        <translation>Der Nutzdaten-Schlüssel darf nicht „action“ oder „project“ sein; diese enthält der Body bereits.</translation>
    </message>
    <message>
        <source>Adding event type %1</source>
        <translation>Hinzufügen von Ereignistyp %1</translation>
    </message>
    <message>
        <source>Not sent: the webhook was deleted.</source>
        <translation>Nicht gesendet: Der Webhook wurde gelöscht.</translation>
    </message>
    <message>
        <source>Deleting webhooks</source>
        <translation>Webhooks löschen</translation>
    </message>
    <message>
        <source>Changing webhooks</source>
        <translation>Webhooks ändern</translation>
    </message>
    <message>
        <source>Renaming project %1</source>
        <translation>Umbenennen von Projekt %1</translation>
    </message>
    <message>
        <source>There is no project with id %1.</source>
        <translation>Es gibt kein Projekt mit der ID %1.</translation>
    </message>
    <message>
        <source>Reading project %1</source>
        <translation>Lesen von Projekt %1</translation>
    </message>
    <message>
        <source>Deleting project %1</source>
        <translation>Löschen von Projekt %1</translation>
    </message>
    <message>
        <source>The project %1 still has webhooks (%2); delete them with it or give them another scope first.</source>
        <translation>Das Projekt %1 hat noch Webhooks (%2); löschen Sie sie mit ihm oder geben Sie ihnen zuerst einen anderen Bereich.</translation>
    </message>
    <message>
        <source>There is no event type %1.</source>
        <translation>Es gibt keinen Ereignistyp %1.</translation>
    </message>
    <message>
        <source>%1 is a built-in event type; it cannot be changed.</source>
        <translation>%1 ist ein eingebauter Ereignistyp; er kann nicht geändert werden.</translation>
    </message>
    <message>
        <source>Changing event type %1</source>
        <translation>Ändern von Ereignistyp %1</translation>
    </message>
    <message>
        <source>Reading event type %1</source>
        <translation>Lesen von Ereignistyp %1</translation>
    </message>
    <message>
        <source>%1 is a built-in event type; it cannot be deleted.</source>
        <translation>%1 ist ein eingebauter Ereignistyp; er kann nicht gelöscht werden.</translation>
    </message>
    <message>
        <source>Deleting event type %1</source>
        <translation>Löschen von Ereignistyp %1</translation>
    </message>
    <message>
        <source>Webhooks subscribe to %1 (%2); unsubscribe them with it or uncheck it in each first.</source>
        <translation>Webhooks abonnieren %1 (%2); melden Sie sie mit ihm ab oder wählen Sie ihn zuerst in jedem ab.</translation>
    </message>
</context>
<context>
    <name>HttpListener</name>
    <message>
        <source>%1 is not allowed on %2; use %3.</source>
        <translation>%1 ist auf %2 nicht erlaubt; verwenden Sie %3.</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>Kann nicht auf %1 Port %2 lauschen: %3</translation>
    </message>
    <message>
        <source>The request&apos;s headers did not arrive within %1 seconds.</source>
        <translation>Die Header der Anfrage kamen nicht innerhalb von %1 Sekunden an.</translation>
    </message>
    <message>
        <source>The request&apos;s headers are larger than %1 KB.</source>
        <translation>Die Header der Anfrage sind größer als %1 KB.</translation>
    </message>
    <message>
        <source>The Content-Length header is not a number.</source>
        <translation>Der Header Content-Length ist keine Zahl.</translation>
    </message>
    <message>
        <source>Send the body with a Content-Length; chunked bodies are not accepted.</source>
        <translation>Senden Sie den Body mit Content-Length; Bodys in Chunks werden nicht angenommen.</translation>
    </message>
    <message>
        <source>The body (%1 bytes) is larger than the limit of %2 bytes.</source>
        <translation>Der Body (%1 Bytes) ist größer als die Grenze von %2 Bytes.</translation>
    </message>
    <message>
        <source>The request needs the header &quot;Authorization: Bearer TOKEN&quot; with the token `webhook-admin intake token` prints.</source>
        <translation>Die Anfrage braucht den Header &quot;Authorization: Bearer TOKEN&quot; mit dem Token, das `webhook-admin intake token` ausgibt.</translation>
    </message>
    <message>
        <source>No local inbox runs in this listener.</source>
        <translation>In diesem Listener läuft kein lokaler Posteingang.</translation>
    </message>
    <message>
        <source>There is nothing at %1; the listener serves /intake/label-studio, /intake/events/KEY, /inbox/NAME and /healthz.</source>
        <translation>Unter %1 gibt es nichts; der Listener bedient /intake/label-studio, /intake/events/KEY, /inbox/NAME und /healthz.</translation>
    </message>
    <message>
        <source>Cannot open the intake&apos;s connection to the database: %1</source>
        <translation>Die Annahme kann keine Verbindung zur Datenbank öffnen: %1</translation>
    </message>
</context>
<context>
    <name>InboxEndpoint</name>
    <message>
        <source>There is nothing at %1.</source>
        <translation>Unter %1 gibt es nichts.</translation>
    </message>
    <message>
        <source>There is no inbox at %1: an inbox name is 1 to %2 letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; or &apos;~&apos;.</source>
        <translation>Unter %1 gibt es keinen Posteingang: Ein Posteingangsname besteht aus 1 bis %2 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; oder &apos;~&apos;.</translation>
    </message>
</context>
<context>
    <name>InboxPane</name>
    <message>
        <source>Local inbox</source>
        <translation>Lokaler Posteingang</translation>
    </message>
    <message>
        <source>Inbox filter</source>
        <translation>Posteingangsfilter</translation>
    </message>
    <message>
        <source>&amp;Clear Inbox…</source>
        <translation>Posteingang &amp;leeren…</translation>
    </message>
    <message>
        <source>Delete what the chosen inbox (or the selected request&apos;s inbox) received</source>
        <translation>Löschen, was der gewählte Posteingang (oder der Posteingang der ausgewählten Anfrage) empfangen hat</translation>
    </message>
    <message>
        <source>Received requests</source>
        <translation>Empfangene Anfragen</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>Select a request to see its headers, body and signature verdict.</source>
        <translation>Wählen Sie eine Anfrage, um ihre Header, ihren Body und das Signatururteil zu sehen.</translation>
    </message>
    <message>
        <source>Could not read the inbox: %1</source>
        <translation>Der Posteingang konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>All inboxes</source>
        <translation>Alle Posteingänge</translation>
    </message>
    <message>
        <source>Nothing received yet.
To try a hook, open it, click &quot;Use local inbox&quot; (or set its URL to http://127.0.0.1:PORT/inbox/NAME), save, and Send Test. What arrives shows here with its signature verdict.</source>
        <translation>Noch nichts empfangen.
Um einen Hook auszuprobieren, öffnen Sie ihn, klicken Sie auf „Lokalen Posteingang verwenden“ (oder setzen Sie seine URL auf http://127.0.0.1:PORT/inbox/NAME), speichern Sie und senden Sie einen Test. Was ankommt, erscheint hier mit seinem Signatururteil.</translation>
    </message>
    <message>
        <source>The inbox %1 has received nothing yet.</source>
        <translation>Der Posteingang %1 hat noch nichts empfangen.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>%1 is the verdict (valid, invalid, stale, unsigned), %2 the reason in words</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 %2 from %3 at %4</source>
        <extracomment>%1 method, %2 path, %3 remote address, %4 time</extracomment>
        <translation>%1 %2 von %3 um %4</translation>
    </message>
    <message>
        <source>(no body)</source>
        <translation>(kein Body)</translation>
    </message>
    <message>
        <source>The body was %1; the first %2 are stored.</source>
        <translation>Der Body war %1 groß; die ersten %2 sind gespeichert.</translation>
    </message>
    <message>
        <source>Choose an inbox above, or select one of its requests, to clear it.</source>
        <translation>Wählen Sie oben einen Posteingang oder eine seiner Anfragen, um ihn zu leeren.</translation>
    </message>
    <message>
        <source>Clear Inbox</source>
        <translation>Posteingang leeren</translation>
    </message>
    <message>
        <source>Delete everything the inbox %1 received? Its settings stay.</source>
        <translation>Alles löschen, was der Posteingang %1 empfangen hat? Seine Einstellungen bleiben.</translation>
    </message>
    <message>
        <source>Another program is writing to the database; the inbox was not cleared. Try again in a moment.</source>
        <translation>Ein anderes Programm schreibt gerade in die Datenbank; der Posteingang wurde nicht geleert. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>Deleted %1 requests from the inbox %2.</source>
        <translation>%1 Anfragen aus dem Posteingang %2 gelöscht.</translation>
    </message>
    <message>
        <source>Clearing…</source>
        <translation>Wird geleert…</translation>
    </message>
    <message>
        <source>Clearing the inbox %1…</source>
        <translation>Der Posteingang %1 wird geleert…</translation>
    </message>
</context>
<context>
    <name>InboxRequestModel</name>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>unsigned</source>
        <translation>unsigniert</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>InboxStore</name>
    <message>
        <source>An inbox name is 1 to %1 letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; or &apos;~&apos;, not &quot;%2&quot;.</source>
        <translation>Ein Posteingangsname besteht aus 1 bis %1 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; oder &apos;~&apos;, nicht „%2“.</translation>
    </message>
    <message>
        <source>The answer&apos;s status is between 200 and 599, not %1.</source>
        <translation>Der Status der Antwort liegt zwischen 200 und 599, nicht %1.</translation>
    </message>
    <message>
        <source>The delay is between 0 and %1 ms, not %2.</source>
        <translation>Die Verzögerung liegt zwischen 0 und %1 ms, nicht %2.</translation>
    </message>
    <message>
        <source>The answer&apos;s body is larger than %1 KiB.</source>
        <translation>Der Body der Antwort ist größer als %1 KiB.</translation>
    </message>
    <message>
        <source>The answer&apos;s body is not JSON: %1 at character %2.</source>
        <extracomment>%1 is the JSON parser&apos;s message</extracomment>
        <translation>Der Body der Antwort ist kein JSON: %1 bei Zeichen %2.</translation>
    </message>
    <message>
        <source>Reading the inbox %1</source>
        <translation>Lesen des Posteingangs %1</translation>
    </message>
    <message>
        <source>Saving the inbox %1</source>
        <translation>Speichern des Posteingangs %1</translation>
    </message>
    <message>
        <source>Reading the hooks of the inbox</source>
        <translation>Lesen der Hooks des Posteingangs</translation>
    </message>
    <message>
        <source>Storing a request of the inbox %1</source>
        <translation>Speichern einer Anfrage des Posteingangs %1</translation>
    </message>
    <message>
        <source>Reading the inbox</source>
        <translation>Lesen des Posteingangs</translation>
    </message>
    <message>
        <source>There is no inbox request %1; &quot;inbox list&quot; shows them.</source>
        <translation>Es gibt keine Posteingangsanfrage %1; „inbox list“ zeigt sie.</translation>
    </message>
    <message>
        <source>Reading the inboxes</source>
        <translation>Lesen der Posteingänge</translation>
    </message>
    <message>
        <source>Clearing the inbox %1</source>
        <translation>Leeren des Posteingangs %1</translation>
    </message>
</context>
<context>
    <name>IntakeBatch</name>
    <message>
        <source>Storing the received events</source>
        <translation>Speichern der empfangenen Ereignisse</translation>
    </message>
    <message>
        <source>The intake&apos;s database connection is closed.</source>
        <translation>Die Datenbankverbindung der Annahme ist geschlossen.</translation>
    </message>
    <message>
        <source>The intake is not running.</source>
        <translation>Die Annahme läuft nicht.</translation>
    </message>
</context>
<context>
    <name>IntakeService</name>
    <message>
        <source>The body is not JSON: %1 at byte %2.</source>
        <translation>Der Body ist kein JSON: %1 bei Byte %2.</translation>
    </message>
    <message>
        <source>The body must be a JSON object.</source>
        <translation>Der Body muss ein JSON-Objekt sein.</translation>
    </message>
    <message>
        <source>The body has no &quot;action&quot; naming the event type.</source>
        <translation>Der Body hat kein &quot;action&quot;, das den Ereignistyp nennt.</translation>
    </message>
    <message>
        <source>&quot;project.id&quot; must be a positive whole number.</source>
        <translation>&quot;project.id&quot; muss eine positive ganze Zahl sein.</translation>
    </message>
    <message>
        <source>&quot;project&quot; in the query must be a project id.</source>
        <translation>&quot;project&quot; in der Abfrage muss eine Projekt-ID sein.</translation>
    </message>
    <message>
        <source>Unknown event type %1; `webhook-admin events add` creates it.</source>
        <translation>Unbekannter Ereignistyp %1; `webhook-admin events add` legt ihn an.</translation>
    </message>
    <message>
        <source>%1 is an organization-only event; it takes no project.</source>
        <translation>%1 ist ein reines Organisationsereignis; es nimmt kein Projekt.</translation>
    </message>
    <message>
        <source>Storing the %1 event</source>
        <translation>Speichern des Ereignisses %1</translation>
    </message>
</context>
<context>
    <name>IntakeStore</name>
    <message>
        <source>Reading the idempotency key</source>
        <translation>Lesen des Idempotenzschlüssels</translation>
    </message>
    <message>
        <source>Storing the idempotency key</source>
        <translation>Speichern des Idempotenzschlüssels</translation>
    </message>
    <message>
        <source>Label Studio project %1</source>
        <translation>Label-Studio-Projekt %1</translation>
    </message>
    <message>
        <source>Storing project %1</source>
        <translation>Speichern von Projekt %1</translation>
    </message>
    <message>
        <source>Reading the database</source>
        <translation>Lesen der Datenbank</translation>
    </message>
    <message>
        <source>Reading project %1</source>
        <translation>Lesen von Projekt %1</translation>
    </message>
    <message>
        <source>Writing to the database</source>
        <translation>Schreiben in die Datenbank</translation>
    </message>
</context>
<context>
    <name>LabelStudioJson</name>
    <message>
        <source>url is missing</source>
        <translation>url fehlt</translation>
    </message>
    <message>
        <source>url must be a string</source>
        <translation>url muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>project must be a project id (a positive whole number) or null</source>
        <translation>project muss eine Projekt-ID (eine positive ganze Zahl) oder null sein</translation>
    </message>
    <message>
        <source>actions must be a list of event keys</source>
        <translation>actions muss eine Liste von Ereignisschlüsseln sein</translation>
    </message>
    <message>
        <source>signature must be &quot;standard&quot;, &quot;github&quot; or null</source>
        <translation>signature muss „standard“, „github“ oder null sein</translation>
    </message>
    <message>
        <source>its secrets are masked; export with --include-secrets to copy hooks together with their secrets</source>
        <translation>seine Geheimnisse sind maskiert; exportieren Sie mit --include-secrets, um Webhooks samt Geheimnissen zu kopieren</translation>
    </message>
    <message>
        <source>%1 must be a string</source>
        <translation>%1 muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation>%1 muss true oder false sein</translation>
    </message>
    <message>
        <source>%1 must be a whole number</source>
        <translation>%1 muss eine ganze Zahl sein</translation>
    </message>
    <message>
        <source>%1 must be a date in ISO 8601 form, like 2024-05-01T12:00:00Z</source>
        <translation>%1 muss ein Datum im ISO-8601-Format sein, etwa 2024-05-01T12:00:00Z</translation>
    </message>
    <message>
        <source>headers must be an object of strings</source>
        <translation>headers muss ein Objekt aus Zeichenketten sein</translation>
    </message>
    <message>
        <source>secret_headers must be a list of header names</source>
        <translation>secret_headers muss eine Liste von Header-Namen sein</translation>
    </message>
    <message>
        <source>secret_headers names %1, which is not in headers</source>
        <translation>secret_headers nennt %1, das nicht in headers steht</translation>
    </message>
    <message>
        <source>The file is larger than %1 MB; split it into smaller files.</source>
        <translation>Die Datei ist größer als %1 MB; teilen Sie sie in kleinere Dateien auf.</translation>
    </message>
    <message>
        <source>The file is not valid JSON: %1 at byte %2.</source>
        <translation>Die Datei ist kein gültiges JSON: %1 bei Byte %2.</translation>
    </message>
    <message>
        <source>The file must hold a webhook object or a list of them.</source>
        <translation>Die Datei muss ein Webhook-Objekt oder eine Liste davon enthalten.</translation>
    </message>
    <message>
        <source>The file holds %1 webhooks; at most %2 can be imported at once.</source>
        <translation>Die Datei enthält %1 Webhooks; höchstens %2 können auf einmal importiert werden.</translation>
    </message>
    <message>
        <source>must be a webhook object</source>
        <translation>muss ein Webhook-Objekt sein</translation>
    </message>
    <message>
        <source>entry %1: %2</source>
        <translation>Eintrag %1: %2</translation>
    </message>
    <message>
        <source>http_version must be &quot;auto&quot;, &quot;http1&quot; or &quot;http2&quot;</source>
        <translation>http_version muss „auto“, „http1“ oder „http2“ sein</translation>
    </message>
    <message>
        <source>rate_limit must be like &quot;5/s&quot; or &quot;300/min&quot;</source>
        <translation>rate_limit muss etwa „5/s“ oder „300/min“ lauten</translation>
    </message>
    <message>
        <source>retry_on: %1</source>
        <translation>retry_on: %1</translation>
    </message>
    <message>
        <source>retry_schedule must be a list of seconds</source>
        <translation>retry_schedule muss eine Liste von Sekunden sein</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>ListenerPreferencesPage</name>
    <message>
        <source>&amp;Run the listener while the window is open</source>
        <translation>Listener &amp;ausführen, solange das Fenster offen ist</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Erneuern</translation>
    </message>
    <message>
        <source>The IP address to listen on. 127.0.0.1 keeps the listener to this machine; 0.0.0.0 opens it to every network it is on.</source>
        <translation>Die IP-Adresse, auf der gelauscht wird. 127.0.0.1 beschränkt den Listener auf diesen Rechner; 0.0.0.0 öffnet ihn für jedes Netz, in dem er ist.</translation>
    </message>
    <message>
        <source>0 picks a free port each time.</source>
        <translation>0 wählt jedes Mal einen freien Port.</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>A larger request is refused with 413 and nothing is stored.</source>
        <translation>Eine größere Anfrage wird mit 413 abgelehnt, und nichts wird gespeichert.</translation>
    </message>
    <message>
        <source>Label Studio sends it as &quot;Authorization: Bearer TOKEN&quot;.</source>
        <translation>Label Studio sendet es als &quot;Authorization: Bearer TOKEN&quot;.</translation>
    </message>
    <message>
        <source>Replace the token; senders with the old one get 401 until they are given the new one.</source>
        <translation>Das Token ersetzen; Absender mit dem alten erhalten 401, bis sie das neue bekommen.</translation>
    </message>
    <message>
        <source>Paste this into Label Studio: project settings, Webhooks.</source>
        <translation>Dies in Label Studio einfügen: Projekteinstellungen, Webhooks.</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>&amp;Body limit:</source>
        <translation>&amp;Body-Grenze:</translation>
    </message>
    <message>
        <source>Intake &amp;token:</source>
        <translation>Annahme-&amp;Token:</translation>
    </message>
    <message>
        <source>Label Studio &amp;URL:</source>
        <translation>Label-Studio-&amp;URL:</translation>
    </message>
    <message>
        <source>In Label Studio, open the project&apos;s settings, Webhooks, add this URL, add the header &quot;Authorization: Bearer&quot; with the token, and keep &quot;Send payload&quot; on.</source>
        <translation>Öffnen Sie in Label Studio die Projekteinstellungen, Webhooks, fügen Sie diese URL hinzu, dazu den Header &quot;Authorization: Bearer&quot; mit dem Token, und lassen Sie &quot;Send payload&quot; eingeschaltet.</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>The listener does not run in this window.</source>
        <translation>Der Listener läuft in diesem Fenster nicht.</translation>
    </message>
    <message>
        <source>Listening on %1.</source>
        <translation>Lauscht auf %1.</translation>
    </message>
    <message>
        <source>Saving the listener settings…</source>
        <translation>Die Listener-Einstellungen werden gespeichert…</translation>
    </message>
    <message>
        <source>Rotating the token…</source>
        <translation>Das Token wird gewechselt…</translation>
    </message>
</context>
<context>
    <name>ListenerSettingsStore</name>
    <message>
        <source>&quot;%1&quot; is not an IP address to listen on, e.g. 127.0.0.1.</source>
        <translation>&quot;%1&quot; ist keine IP-Adresse zum Lauschen, z. B. 127.0.0.1.</translation>
    </message>
    <message>
        <source>The body limit must be between 1 KB and 1 GB.</source>
        <translation>Die Body-Grenze muss zwischen 1 KB und 1 GB liegen.</translation>
    </message>
    <message>
        <source>Reading the intake token</source>
        <translation>Lesen des Annahme-Tokens</translation>
    </message>
    <message>
        <source>Creating the intake token</source>
        <translation>Anlegen des Annahme-Tokens</translation>
    </message>
</context>
<context>
    <name>LogExporter</name>
    <message>
        <source>Could not write the export: %1</source>
        <translation>Der Export konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>The export was cancelled; nothing was written.</source>
        <translation>Der Export wurde abgebrochen; es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Webhook Admin — %1[*]</source>
        <extracomment>%1 is the database file name; [*] marks unsaved changes (keep it)</extracomment>
        <translation>Webhook Admin — %1[*]</translation>
    </message>
    <message>
        <source>Could not read the webhooks: %1</source>
        <translation>Die Webhooks konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Webhook Not Changed</source>
        <translation>Webhook nicht geändert</translation>
    </message>
    <message>
        <source>Search URL or description</source>
        <translation>Suchen: URL oder Beschreibung</translation>
    </message>
    <message>
        <source>Search webhooks</source>
        <translation>Webhooks durchsuchen</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Add webhook</source>
        <translation>Webhook hinzufügen</translation>
    </message>
    <message>
        <source>Add a new webhook (Ctrl+N)</source>
        <translation>Einen neuen Webhook hinzufügen (Strg+N)</translation>
    </message>
    <message>
        <source>Send Test…</source>
        <translation>Test senden…</translation>
    </message>
    <message>
        <source>Select a webhook or add one.</source>
        <translation>Wählen Sie einen Webhook aus oder fügen Sie einen hinzu.</translation>
    </message>
    <message>
        <source>&amp;New Webhook</source>
        <translation>&amp;Neuer Webhook</translation>
    </message>
    <message>
        <source>Add a new webhook</source>
        <translation>Einen neuen Webhook hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the changes to this webhook</source>
        <translation>Die Änderungen an diesem Webhook speichern</translation>
    </message>
    <message>
        <source>&amp;Revert Changes</source>
        <translation>Änderungen &amp;verwerfen</translation>
    </message>
    <message>
        <source>Discard the unsaved changes to this webhook</source>
        <translation>Die nicht gespeicherten Änderungen an diesem Webhook verwerfen</translation>
    </message>
    <message>
        <source>&amp;Delete Webhook…</source>
        <translation>Webhook &amp;löschen…</translation>
    </message>
    <message>
        <source>Delete this webhook</source>
        <translation>Diesen Webhook löschen</translation>
    </message>
    <message>
        <source>Delete Webhook…</source>
        <translation>Webhook löschen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Search the webhooks by URL or description</source>
        <translation>Die Webhooks nach URL oder Beschreibung durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Add Custom Event Type…</source>
        <translation>&amp;Eigenen Ereignistyp hinzufügen…</translation>
    </message>
    <message>
        <source>Define an event type of your own</source>
        <translation>Einen eigenen Ereignistyp definieren</translation>
    </message>
    <message>
        <source>Send &amp;Test…</source>
        <translation>&amp;Test senden…</translation>
    </message>
    <message>
        <source>Send an event with an editable payload to this webhook</source>
        <translation>Ein Ereignis mit bearbeitbaren Nutzdaten an diesen Webhook senden</translation>
    </message>
    <message>
        <source>Delivery &amp;Log</source>
        <translation>Zustell&amp;protokoll</translation>
    </message>
    <message>
        <source>Show or hide the live log of delivery attempts</source>
        <translation>Das Live-Protokoll der Zustellversuche ein- oder ausblenden</translation>
    </message>
    <message>
        <source>&amp;About Webhook Admin</source>
        <translation>Ü&amp;ber Webhook Admin</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;Webhook</source>
        <translation>&amp;Webhook</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>The delivery engine has a problem: %1</source>
        <extracomment>%1 is the storage error, e.g. &quot;database is locked&quot;</extracomment>
        <translation>Die Zustell-Engine hat ein Problem: %1</translation>
    </message>
    <message>
        <source>Added the event type %1 (%2).</source>
        <translation>Ereignistyp %1 (%2) hinzugefügt.</translation>
    </message>
    <message>
        <source>About Webhook Admin</source>
        <translation>Über Webhook Admin</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Webhook Admin %1&lt;/h3&gt;&lt;p&gt;Configure, test and watch the outgoing webhooks of a labeling platform: persisted, signed and retried deliveries, with every attempt logged.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Webhook Admin %1&lt;/h3&gt;&lt;p&gt;Ausgehende Webhooks einer Labeling-Plattform konfigurieren, testen und beobachten: gespeicherte, signierte und wiederholte Zustellungen, jeder Versuch protokolliert.&lt;/p&gt;&lt;p&gt;Datenbank: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Showing %1 of %2</source>
        <extracomment>How many webhooks match the search</extracomment>
        <translation>%1 von %2 angezeigt</translation>
    </message>
    <message>
        <source>The delivery engine is not running</source>
        <translation>Die Zustell-Engine läuft nicht</translation>
    </message>
    <message>
        <source>Select a webhook to send a test to it</source>
        <translation>Wählen Sie einen Webhook aus, um einen Test an ihn zu senden</translation>
    </message>
    <message>
        <source>Save the new webhook before sending a test to it</source>
        <translation>Speichern Sie den neuen Webhook, bevor Sie einen Test an ihn senden</translation>
    </message>
    <message>
        <source>Save or revert your changes first: a test uses the saved settings</source>
        <translation>Speichern oder verwerfen Sie zuerst Ihre Änderungen: Ein Test verwendet die gespeicherten Einstellungen</translation>
    </message>
    <message>
        <source>Send an event with an editable payload to this webhook (Ctrl+T)</source>
        <translation>Ein Ereignis mit bearbeitbaren Nutzdaten an diesen Webhook senden (Strg+T)</translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <extracomment>%1 is the listener&apos;s URL, e.g. http://127.0.0.1:8484</extracomment>
        <translation>Lauscht auf %1</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Retry schedule, failure threshold, retention and other settings</source>
        <translation>Wiederholungsplan, Fehlerschwelle, Aufbewahrung und weitere Einstellungen</translation>
    </message>
    <message>
        <source>Delivery Log</source>
        <translation>Zustellprotokoll</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Listener</source>
        <translation>Listener</translation>
    </message>
    <message>
        <source>The listener does not run: %1</source>
        <translation>Der Listener läuft nicht: %1</translation>
    </message>
    <message>
        <source>&amp;Inbox</source>
        <translation>Post&amp;eingang</translation>
    </message>
    <message>
        <source>Show what the local inbox received</source>
        <translation>Zeigen, was der lokale Posteingang empfangen hat</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Cannot resend: %1</source>
        <extracomment>%1 says why, e.g. that the webhook was deleted</extracomment>
        <translation>Erneutes Senden nicht möglich: %1</translation>
    </message>
    <message>
        <source>The failed attempt is hidden by the log&apos;s filter; clear the filter to see it.</source>
        <translation>Der fehlgeschlagene Versuch ist vom Filter des Protokolls verborgen; leeren Sie den Filter, um ihn zu sehen.</translation>
    </message>
    <message>
        <source>&amp;Open Database…</source>
        <translation>Datenbank &amp;öffnen…</translation>
    </message>
    <message>
        <source>Switch to another database file or server</source>
        <translation>Zu einer anderen Datenbankdatei oder einem Server wechseln</translation>
    </message>
    <message>
        <source>&amp;Import Webhooks…</source>
        <translation>Webhooks &amp;importieren…</translation>
    </message>
    <message>
        <source>Add the webhooks of a Label Studio JSON file</source>
        <translation>Die Webhooks einer Label-Studio-JSON-Datei hinzufügen</translation>
    </message>
    <message>
        <source>E&amp;xport Webhooks…</source>
        <translation>Webhooks e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Save every webhook as Label Studio JSON</source>
        <translation>Alle Webhooks als Label-Studio-JSON speichern</translation>
    </message>
    <message>
        <source>Export &amp;Log…</source>
        <translation>&amp;Protokoll exportieren…</translation>
    </message>
    <message>
        <source>Save the log, as its filter shows it, as JSON Lines or CSV</source>
        <translation>Das Protokoll, wie sein Filter es zeigt, als JSON Lines oder CSV speichern</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Deliveries</source>
        <translation>&amp;Zustellungen</translation>
    </message>
    <message>
        <source>Import Webhooks</source>
        <translation>Webhooks importieren</translation>
    </message>
    <message>
        <source>Label Studio JSON (*.json);;All files (*)</source>
        <translation>Label-Studio-JSON (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Not Imported</source>
        <extracomment>%1 is a file name, %2 the entry&apos;s number in it, %3 what is wrong</extracomment>
        <translation>Nicht importiert</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Nothing was imported from %1.

%2</source>
        <translation>Aus %1 wurde nichts importiert.

%2</translation>
    </message>
    <message>
        <source>Nothing was imported from %1.

entry %2: %3</source>
        <translation>Aus %1 wurde nichts importiert.

Eintrag %2: %3</translation>
    </message>
    <message>
        <source>Nothing to Import</source>
        <translation>Nichts zu importieren</translation>
    </message>
    <message>
        <source>%1 holds no webhooks.</source>
        <translation>%1 enthält keine Webhooks.</translation>
    </message>
    <message>
        <source>…and %1 more</source>
        <translation>…und %1 weitere</translation>
    </message>
    <message numerus="yes">
        <source>Add %n webhook(s) from %1?</source>
        <translation>
            <numerusform>%n Webhook aus %1 hinzufügen?</numerusform>
            <numerusform>%n Webhooks aus %1 hinzufügen?</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Nothing was imported: %1</source>
        <translation>Nichts wurde importiert: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n webhook(s).</source>
        <translation>
            <numerusform>%n Webhook importiert.</numerusform>
            <numerusform>%n Webhooks importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Webhooks</source>
        <translation>Webhooks exportieren</translation>
    </message>
    <message>
        <source>Label Studio JSON (*.json)</source>
        <translation>Label-Studio-JSON (*.json)</translation>
    </message>
    <message>
        <source>Include the signing secrets and secret header values?</source>
        <translation>Signiergeheimnisse und geheime Header-Werte mitexportieren?</translation>
    </message>
    <message>
        <source>Masked, the file can be shared, but an import cannot restore the secrets. Either way only you can read the file.</source>
        <translation>Maskiert kann die Datei weitergegeben werden, aber ein Import stellt die Geheimnisse nicht wieder her. In jedem Fall können nur Sie die Datei lesen.</translation>
    </message>
    <message>
        <source>&amp;Mask Secrets</source>
        <translation>Geheimnisse &amp;maskieren</translation>
    </message>
    <message>
        <source>I&amp;nclude Secrets</source>
        <translation>Geheimnisse &amp;einschließen</translation>
    </message>
    <message>
        <source>Not Exported</source>
        <translation>Nicht exportiert</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n webhook(s) to %1.</source>
        <extracomment>%1 is a file path</extracomment>
        <translation>
            <numerusform>%n Webhook nach %1 exportiert.</numerusform>
            <numerusform>%n Webhooks nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>D&amp;uplicate Webhook</source>
        <translation>Webhook d&amp;uplizieren</translation>
    </message>
    <message>
        <source>Open a copy of this webhook, with its settings and headers, as a new webhook</source>
        <translation>Eine Kopie dieses Webhooks mit seinen Einstellungen und Headern als neuen Webhook öffnen</translation>
    </message>
    <message>
        <source>Acti&amp;vate Selected</source>
        <translation>Auswahl &amp;aktivieren</translation>
    </message>
    <message>
        <source>Switch every selected webhook on</source>
        <translation>Jeden ausgewählten Webhook einschalten</translation>
    </message>
    <message>
        <source>Deact&amp;ivate Selected</source>
        <translation>Auswahl deakt&amp;ivieren</translation>
    </message>
    <message>
        <source>Switch every selected webhook off; they keep their settings</source>
        <translation>Jeden ausgewählten Webhook ausschalten; ihre Einstellungen bleiben</translation>
    </message>
    <message>
        <source>%1 (%2 waiting)</source>
        <extracomment>%1 says what is being written, e.g. &quot;Saving the webhook…&quot;; %2 how many writes wait</extracomment>
        <translation>%1 (%2 warten)</translation>
    </message>
    <message>
        <source>Importing webhooks…</source>
        <translation>Webhooks werden importiert…</translation>
    </message>
    <message>
        <source>(copy)</source>
        <extracomment>A duplicated webhook&apos;s description; %1 is the original&apos;s</extracomment>
        <translation>(Kopie)</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>A copy of webhook %1: change what differs and save it.</source>
        <extracomment>%1 is the number of the duplicated webhook</extracomment>
        <translation>Eine Kopie von Webhook %1: Ändern Sie, was abweicht, und speichern Sie sie.</translation>
    </message>
    <message>
        <source>Activating webhooks…</source>
        <translation>Webhooks werden aktiviert…</translation>
    </message>
    <message>
        <source>Deactivating webhooks…</source>
        <translation>Webhooks werden deaktiviert…</translation>
    </message>
    <message>
        <source>Webhooks Not Changed</source>
        <translation>Webhooks nicht geändert</translation>
    </message>
    <message numerus="yes">
        <source>Activated %n webhook(s).</source>
        <translation>
            <numerusform>%n Webhook aktiviert.</numerusform>
            <numerusform>%n Webhooks aktiviert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deactivated %n webhook(s).</source>
        <translation>
            <numerusform>%n Webhook deaktiviert.</numerusform>
            <numerusform>%n Webhooks deaktiviert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete webhooks</source>
        <extracomment>%1 is a number greater than one</extracomment>
        <translation>Webhooks löschen</translation>
    </message>
    <message>
        <source>Delete the %1 selected webhooks?</source>
        <translation>Die %1 ausgewählten Webhooks löschen?</translation>
    </message>
    <message>
        <source>Their settings are removed for good; this cannot be undone.</source>
        <translation>Ihre Einstellungen werden endgültig entfernt; das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Their settings are removed for good. Their one recorded attempt stays in the delivery log, marked &quot;deleted webhook&quot;, until retention removes it.</source>
        <translation>Ihre Einstellungen werden endgültig entfernt. Ihr einer aufgezeichneter Versuch bleibt im Zustellprotokoll, markiert als „gelöschter Webhook“, bis die Aufbewahrungsfrist ihn entfernt.</translation>
    </message>
    <message>
        <source>Their settings are removed for good. Their %1 recorded attempts stay in the delivery log, marked &quot;deleted webhook&quot;, until retention removes them.</source>
        <extracomment>%1 is a number greater than one</extracomment>
        <translation>Ihre Einstellungen werden endgültig entfernt. Ihre %1 aufgezeichneten Versuche bleiben im Zustellprotokoll, markiert als „gelöschter Webhook“, bis die Aufbewahrungsfrist sie entfernt.</translation>
    </message>
    <message>
        <source>&amp;Also delete their attempt</source>
        <translation>Auch ihren &amp;Versuch löschen</translation>
    </message>
    <message>
        <source>&amp;Also delete their %1 attempts</source>
        <translation>Auch ihre %1 &amp;Versuche löschen</translation>
    </message>
    <message>
        <source>&amp;Delete %1 Webhooks</source>
        <extracomment>%1 is a number greater than one</extracomment>
        <translation>%1 Webhooks &amp;löschen</translation>
    </message>
    <message>
        <source>Deleting webhooks…</source>
        <translation>Webhooks werden gelöscht…</translation>
    </message>
    <message>
        <source>Webhooks Not Deleted</source>
        <translation>Webhooks nicht gelöscht</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n webhook(s).</source>
        <translation>
            <numerusform>%n Webhook gelöscht.</numerusform>
            <numerusform>%n Webhooks gelöscht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete %1 Webhooks…</source>
        <extracomment>The list&apos;s Delete with several webhooks selected; %1 is their number</extracomment>
        <translation>%1 Webhooks löschen…</translation>
    </message>
    <message>
        <source>Pro&amp;jects…</source>
        <translation>Pro&amp;jekte…</translation>
    </message>
    <message>
        <source>Add, rename and delete the projects webhooks are scoped to</source>
        <translation>Die Projekte hinzufügen, umbenennen und löschen, auf die Webhooks beschränkt sind</translation>
    </message>
    <message>
        <source>&amp;Event Types…</source>
        <translation>Ereignis&amp;typen…</translation>
    </message>
    <message>
        <source>See every event type; edit and delete custom ones</source>
        <translation>Alle Ereignistypen sehen; eigene bearbeiten und löschen</translation>
    </message>
    <message>
        <source>Reading the webhooks…</source>
        <translation>Webhooks werden gelesen…</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n times)</source>
        <extracomment>%1 is a message from the delivery engine; %n how often it came</extracomment>
        <translation>
            <numerusform>%1 (%n-mal)</numerusform>
            <numerusform>%1 (%n-mal)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OpenDatabaseDialog</name>
    <message>
        <source>Open Database</source>
        <translation>Datenbank öffnen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>A Webhook Admin SQLite file; a new name creates one</source>
        <translation>Eine SQLite-Datei von Webhook Admin; ein neuer Name legt eine an</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>Fi&amp;le:</source>
        <translation>Datei&amp;pfad:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>Po&amp;rt:</source>
        <translation>Po&amp;rt:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>Daten&amp;bank:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>Be&amp;nutzer:</translation>
    </message>
    <message>
        <source>Never remembered: you type it each time you open the server.</source>
        <translation>Wird nie gespeichert: Sie geben es bei jedem Öffnen des Servers ein.</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>How the connection uses TLS, as PostgreSQL&apos;s sslmode says.</source>
        <translation>Wie die Verbindung TLS nutzt, wie PostgreSQLs sslmode es angibt.</translation>
    </message>
    <message>
        <source>SSL &amp;mode:</source>
        <translation>SSL-&amp;Modus:</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <extracomment>%1 is a file or a server URL with its password masked</extracomment>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>Could not open it: %1</source>
        <extracomment>%1 says why, e.g. &quot;file is not a database&quot;</extracomment>
        <translation>Konnte nicht geöffnet werden: %1</translation>
    </message>
</context>
<context>
    <name>OutcomeStripDelegate</name>
    <message>
        <source>%1 ✖</source>
        <extracomment>Drawn next to the strip of recent outcomes: %1 failures in a row</extracomment>
        <translation>%1 ✖</translation>
    </message>
    <message>
        <source>%1+ ✖</source>
        <extracomment>Drawn next to the strip of recent outcomes: more than %1 failures in a row</extracomment>
        <translation>%1+ ✖</translation>
    </message>
</context>
<context>
    <name>PayloadBuilder</name>
    <message>
        <source>The payload for %1 needs the key &quot;%2&quot;.</source>
        <translation>Die Nutzdaten für %1 brauchen den Schlüssel „%2“.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a list for %2.</source>
        <translation>„%1“ muss für %2 eine Liste sein.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be an object for %2.</source>
        <translation>„%1“ muss für %2 ein Objekt sein.</translation>
    </message>
    <message>
        <source>The payload cannot set &quot;action&quot;; it is the event&apos;s key.</source>
        <translation>Die Nutzdaten dürfen „action“ nicht setzen; das ist der Schlüssel des Ereignisses.</translation>
    </message>
</context>
<context>
    <name>PayloadFilter</name>
    <message>
        <source>The filter has more than %1 conditions.</source>
        <translation>Der Filter hat mehr als %1 Bedingungen.</translation>
    </message>
    <message>
        <source>The filter is nested more than %1 levels deep.</source>
        <translation>Der Filter ist mehr als %1 Ebenen tief verschachtelt.</translation>
    </message>
    <message>
        <source>%1 takes a non-empty list of filters.</source>
        <translation>%1 erwartet eine nicht leere Liste von Filtern.</translation>
    </message>
    <message>
        <source>%1 takes a list of filters (JSON objects); %2 is not one.</source>
        <translation>%1 erwartet eine Liste von Filtern (JSON-Objekten); %2 ist keiner.</translation>
    </message>
    <message>
        <source>$not takes a filter (a JSON object).</source>
        <translation>$not erwartet einen Filter (ein JSON-Objekt).</translation>
    </message>
    <message>
        <source>%1 needs a path: write {&quot;some.path&quot;: {&quot;%1&quot;: …}}.</source>
        <translation>%1 braucht einen Pfad: Schreiben Sie {&quot;ein.pfad&quot;: {&quot;%1&quot;: …}}.</translation>
    </message>
    <message>
        <source>Unknown operator %1; the filter combines with $and, $or and $not.</source>
        <translation>Unbekannter Operator %1; Filter werden mit $and, $or und $not kombiniert.</translation>
    </message>
    <message>
        <source>%1: a path is names and list indexes joined by dots, without empty parts.</source>
        <translation>%1: Ein Pfad besteht aus Namen und Listenindizes, durch Punkte verbunden, ohne leere Teile.</translation>
    </message>
    <message>
        <source>%1: the path is longer than %2 parts.</source>
        <translation>%1: Der Pfad hat mehr als %2 Teile.</translation>
    </message>
    <message>
        <source>%1: an object mixes operators ($…) and plain keys; use one or the other.</source>
        <translation>%1: Ein Objekt mischt Operatoren ($…) und einfache Schlüssel; verwenden Sie das eine oder das andere.</translation>
    </message>
    <message>
        <source>%1: unknown operator %2; use $eq, $neq, $in, $nin, $gt, $gte, $lt, $lte, $exists or $regex.</source>
        <translation>%1: unbekannter Operator %2; verwenden Sie $eq, $neq, $in, $nin, $gt, $gte, $lt, $lte, $exists oder $regex.</translation>
    </message>
    <message>
        <source>%1: %2 takes a list of values.</source>
        <translation>%1: %2 erwartet eine Liste von Werten.</translation>
    </message>
    <message>
        <source>%1: %2 takes a number or a string.</source>
        <translation>%1: %2 erwartet eine Zahl oder eine Zeichenkette.</translation>
    </message>
    <message>
        <source>%1: $exists takes true or false.</source>
        <translation>%1: $exists erwartet true oder false.</translation>
    </message>
    <message>
        <source>%1: $regex takes a regular expression as a string.</source>
        <translation>%1: $regex erwartet einen regulären Ausdruck als Zeichenkette.</translation>
    </message>
    <message>
        <source>%1: $regex is not a valid regular expression: %2.</source>
        <translation>%1: $regex ist kein gültiger regulärer Ausdruck: %2.</translation>
    </message>
    <message>
        <source>none of $or holds (%1)</source>
        <translation>keine Bedingung von $or trifft zu (%1)</translation>
    </message>
    <message>
        <source>$not %1 holds</source>
        <translation>$not %1 trifft zu</translation>
    </message>
    <message>
        <source>%1 is missing</source>
        <translation>%1 fehlt</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 ist %2</translation>
    </message>
    <message>
        <source>%1 is %2, not one of %3</source>
        <translation>%1 ist %2, nicht eines von %3</translation>
    </message>
    <message>
        <source>%1 is %2, one of %3</source>
        <translation>%1 ist %2, eines von %3</translation>
    </message>
    <message>
        <source>%1 is %2, not greater than %3</source>
        <translation>%1 ist %2, nicht größer als %3</translation>
    </message>
    <message>
        <source>%1 is %2, less than %3</source>
        <translation>%1 ist %2, kleiner als %3</translation>
    </message>
    <message>
        <source>%1 is %2, not less than %3</source>
        <translation>%1 ist %2, nicht kleiner als %3</translation>
    </message>
    <message>
        <source>%1 is %2, greater than %3</source>
        <translation>%1 ist %2, größer als %3</translation>
    </message>
    <message>
        <source>%1 exists (it is %2)</source>
        <translation>%1 existiert (es ist %2)</translation>
    </message>
    <message>
        <source>%1 is %2, which does not match %3</source>
        <translation>%1 ist %2 und passt nicht auf %3</translation>
    </message>
    <message>
        <source>The filter is longer than %1 KiB.</source>
        <translation>Der Filter ist länger als %1 KiB.</translation>
    </message>
    <message>
        <source>The filter is not valid JSON: %1 at character %2.</source>
        <translation>Der Filter ist kein gültiges JSON: %1 bei Zeichen %2.</translation>
    </message>
    <message>
        <source>The filter must be a JSON object, e.g. {&quot;annotation.ground_truth&quot;: true}.</source>
        <translation>Der Filter muss ein JSON-Objekt sein, z. B. {&quot;annotation.ground_truth&quot;: true}.</translation>
    </message>
</context>
<context>
    <name>PayloadPreview</name>
    <message>
        <source>Event to preview</source>
        <translation>Ereignis für die Vorschau</translation>
    </message>
    <message>
        <source>Event:</source>
        <translation>Ereignis:</translation>
    </message>
    <message>
        <source>Sample body</source>
        <translation>Beispiel-Body</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>an event in the preview&apos;s list: %1 its name, %2 its key</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>This webhook sends no event yet: check one above, or Send for all actions.</source>
        <translation>Dieser Webhook sendet noch kein Ereignis: Wählen Sie oben eines aus oder „Für alle Aktionen senden“.</translation>
    </message>
    <message>
        <source>(no URL yet)</source>
        <translation>(noch keine URL)</translation>
    </message>
    <message>
        <source>The sample body, %1. A real event carries its own data; webhook-id, webhook-timestamp and the signature are made per delivery.</source>
        <translation>Der Beispiel-Body, %1. Ein echtes Ereignis trägt seine eigenen Daten; webhook-id, webhook-timestamp und die Signatur entstehen pro Zustellung.</translation>
    </message>
    <message>
        <source>Send payload is off: the body holds only the action.</source>
        <translation>Payload senden ist aus: Der Body enthält nur die Aktion.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
</context>
<context>
    <name>ProjectListModel</name>
    <message>
        <source>Organization-wide</source>
        <translation>Organisationsweit</translation>
    </message>
    <message>
        <source>Fires for every project&apos;s events and for organization-only events.</source>
        <translation>Wird bei den Ereignissen aller Projekte und bei reinen Organisationsereignissen ausgelöst.</translation>
    </message>
    <message>
        <source>Fires only for events of project %1 (id %2).</source>
        <translation>Wird nur bei Ereignissen des Projekts %1 (ID %2) ausgelöst.</translation>
    </message>
</context>
<context>
    <name>ProjectsDialog</name>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projekte</translation>
    </message>
    <message>
        <source>A webhook scoped to a project fires only for that project&apos;s events.</source>
        <translation>Ein auf ein Projekt beschränkter Webhook löst nur bei den Ereignissen dieses Projekts aus.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Add a project</source>
        <translation>Ein Projekt hinzufügen</translation>
    </message>
    <message>
        <source>Give the selected project another title</source>
        <translation>Dem gewählten Projekt einen anderen Titel geben</translation>
    </message>
    <message>
        <source>Delete the selected project; asks what becomes of its webhooks</source>
        <translation>Das gewählte Projekt löschen; fragt, was aus seinen Webhooks wird</translation>
    </message>
    <message>
        <source>No projects yet. Every webhook is organization-wide.</source>
        <translation>Noch keine Projekte. Jeder Webhook ist organisationsweit.</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Project &amp;title:</source>
        <translation>Projekt&amp;titel:</translation>
    </message>
    <message>
        <source>Adding the project…</source>
        <translation>Das Projekt wird hinzugefügt…</translation>
    </message>
    <message>
        <source>The project was not added: %1</source>
        <translation>Das Projekt wurde nicht hinzugefügt: %1</translation>
    </message>
    <message>
        <source>Added the project %1.</source>
        <translation>Projekt %1 hinzugefügt.</translation>
    </message>
    <message>
        <source>Rename project</source>
        <translation>Projekt umbenennen</translation>
    </message>
    <message>
        <source>New &amp;title:</source>
        <translation>Neuer &amp;Titel:</translation>
    </message>
    <message>
        <source>Renaming the project…</source>
        <translation>Das Projekt wird umbenannt…</translation>
    </message>
    <message>
        <source>The project was not renamed: %1</source>
        <translation>Das Projekt wurde nicht umbenannt: %1</translation>
    </message>
    <message>
        <source>Project %1 is now called %2.</source>
        <extracomment>%1 is the project&apos;s id, %2 its new title</extracomment>
        <translation>Projekt %1 heißt jetzt %2.</translation>
    </message>
    <message>
        <source>Delete project</source>
        <translation>Projekt löschen</translation>
    </message>
    <message>
        <source>Delete the project %1?</source>
        <translation>Das Projekt %1 löschen?</translation>
    </message>
    <message>
        <source>No webhook is scoped to it.</source>
        <translation>Kein Webhook ist darauf beschränkt.</translation>
    </message>
    <message>
        <source>&amp;Delete Project</source>
        <translation>Projekt &amp;löschen</translation>
    </message>
    <message>
        <source>The project %1 has one webhook.</source>
        <translation>Das Projekt %1 hat einen Webhook.</translation>
    </message>
    <message>
        <source>The project %1 has %2 webhooks.</source>
        <translation>Das Projekt %1 hat %2 Webhooks.</translation>
    </message>
    <message>
        <source>Deleting the project deletes them too: they leave the list and send nothing more. Their recorded attempts stay in the delivery log, marked &quot;deleted webhook&quot;, until retention removes them.

To keep a webhook, give it another scope in the editor first.</source>
        <translation>Das Löschen des Projekts löscht sie mit: Sie verlassen die Liste und senden nichts mehr. Ihre aufgezeichneten Versuche bleiben im Zustellprotokoll, markiert als „gelöschter Webhook“, bis die Aufbewahrungsfrist sie entfernt.

Um einen Webhook zu behalten, geben Sie ihm zuerst im Editor einen anderen Bereich.</translation>
    </message>
    <message>
        <source>&amp;Delete Project and Its Webhook</source>
        <translation>Projekt und seinen Webhook &amp;löschen</translation>
    </message>
    <message>
        <source>&amp;Delete Project and %1 Webhooks</source>
        <translation>Projekt und %1 Webhooks &amp;löschen</translation>
    </message>
    <message>
        <source>Deleting the project…</source>
        <translation>Das Projekt wird gelöscht…</translation>
    </message>
    <message>
        <source>The project&apos;s webhooks changed meanwhile; nothing was deleted. Try again.</source>
        <translation>Die Webhooks des Projekts haben sich inzwischen geändert; nichts wurde gelöscht. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The project was not deleted: %1</source>
        <translation>Das Projekt wurde nicht gelöscht: %1</translation>
    </message>
    <message>
        <source>Deleted project %1.</source>
        <translation>Projekt %1 gelöscht.</translation>
    </message>
    <message>
        <source>Deleted project %1 with its webhooks (%2).</source>
        <translation>Projekt %1 mit seinen Webhooks (%2) gelöscht.</translation>
    </message>
</context>
<context>
    <name>ReceiverCodeDialog</name>
    <message>
        <source>Receiver Code</source>
        <translation>Empfänger-Code</translation>
    </message>
    <message>
        <source>GitHub (X-Hub-Signature-256)</source>
        <translation>GitHub (X-Hub-Signature-256)</translation>
    </message>
    <message>
        <source>Standard Webhooks</source>
        <translation>Standard Webhooks</translation>
    </message>
    <message>
        <source>webhook %1</source>
        <translation>Webhook %1</translation>
    </message>
    <message>
        <source>this webhook</source>
        <translation>diesem Webhook</translation>
    </message>
    <message>
        <source>How a receiver verifies the %2 signatures of %1: against the raw body, compared in constant time. Set the environment variable %3 to the hook&apos;s signing secret; the code never holds it.</source>
        <extracomment>%1 e.g. &quot;webhook 3&quot;, %2 the signature scheme, %3 the environment variable&apos;s name</extracomment>
        <translation>So prüft ein Empfänger die %2-Signaturen von %1: gegen den unveränderten Body, verglichen in konstanter Zeit. Setzen Sie die Umgebungsvariable %3 auf das Signatur-Secret des Webhooks; der Code enthält es nie.</translation>
    </message>
    <message>
        <source>Run as a script, each serves on 127.0.0.1:8000 and answers 204 when the signature is valid, 401 when not; in a receiver of your own, call its verify function with the raw body.</source>
        <translation>Als Skript gestartet, lauscht jeder auf 127.0.0.1:8000 und antwortet 204, wenn die Signatur gültig ist, sonst 401; in einem eigenen Empfänger rufen Sie seine verify-Funktion mit dem unveränderten Body auf.</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copies the code on the tab shown</source>
        <translation>Kopiert den Code des angezeigten Tabs</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>RetryOn</name>
    <message>
        <source>&quot;%1&quot; is not a failure to retry on; use network, timeout, a status code (429) or a class (5xx).</source>
        <translation>„%1“ ist kein Fehler, bei dem wiederholt werden kann; verwenden Sie network, timeout, einen Statuscode (429) oder eine Klasse (5xx).</translation>
    </message>
    <message>
        <source>a timeout</source>
        <translation>eine Zeitüberschreitung</translation>
    </message>
    <message>
        <source>a network error (%1)</source>
        <translation>ein Netzwerkfehler (%1)</translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message>
        <source>The receiver answered 410 Gone on %1; the webhook was deactivated.</source>
        <translation>Der Empfänger antwortete am %1 mit 410 Gone; der Webhook wurde deaktiviert.</translation>
    </message>
    <message>
        <source>%1 is not retried (this hook retries on %2).</source>
        <translation>%1 wird nicht wiederholt (dieser Webhook wiederholt bei %2).</translation>
    </message>
</context>
<context>
    <name>RotateSecretDialog</name>
    <message>
        <source>Rotate Signing Secret</source>
        <translation>Signaturgeheimnis wechseln</translation>
    </message>
    <message>
        <source>Webhook %1 gets a new, generated signing secret. Give it to the receiver; the settings page shows it (Reveal, Copy).</source>
        <translation>Webhook %1 erhält ein neues, erzeugtes Signaturgeheimnis. Geben Sie es dem Empfänger; die Einstellungsseite zeigt es (Anzeigen, Kopieren).</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>No overlap: the old secret stops at once</source>
        <translation>Keine Überlappung: das alte Geheimnis endet sofort</translation>
    </message>
    <message>
        <source>Old secret &amp;valid for:</source>
        <translation>Altes Geheimnis &amp;gültig für:</translation>
    </message>
    <message>
        <source>GitHub&apos;s X-Hub-Signature-256 has room for one signature: requests are signed with the new secret only, from the moment you rotate. Update the receiver right away.</source>
        <translation>X-Hub-Signature-256 von GitHub fasst nur eine Signatur: Anfragen werden ab dem Wechsel nur mit dem neuen Geheimnis signiert. Aktualisieren Sie den Empfänger sofort.</translation>
    </message>
    <message>
        <source>Until then each request carries two signatures (webhook-signature: v1,&lt;new&gt; v1,&lt;old&gt;), so the receiver verifies with either secret.</source>
        <translation>Bis dahin trägt jede Anfrage zwei Signaturen (webhook-signature: v1,&lt;neu&gt; v1,&lt;alt&gt;), der Empfänger prüft also mit jedem der beiden Geheimnisse.</translation>
    </message>
    <message>
        <source>&amp;Rotate</source>
        <translation>&amp;Wechseln</translation>
    </message>
</context>
<context>
    <name>SecretField</name>
    <message>
        <source>Generate</source>
        <translation>Erzeugen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Cop&amp;y</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Paste the receiver&apos;s secret or generate one</source>
        <translation>Geheimnis des Empfängers einfügen oder erzeugen</translation>
    </message>
    <message>
        <source>The key the receiver uses to check that a request came from Webhook Admin. It is masked wherever it is shown.</source>
        <translation>Der Schlüssel, mit dem der Empfänger prüft, dass eine Anfrage von Webhook Admin kommt. Er wird überall maskiert angezeigt.</translation>
    </message>
    <message>
        <source>Replace the secret with a new random one for the chosen scheme.</source>
        <translation>Das Geheimnis durch ein neues zufälliges für das gewählte Verfahren ersetzen.</translation>
    </message>
    <message>
        <source>Show or hide the secret.</source>
        <translation>Das Geheimnis anzeigen oder verbergen.</translation>
    </message>
    <message>
        <source>Copy the secret to the clipboard.</source>
        <translation>Das Geheimnis in die Zwischenablage kopieren.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Replace the Signing Secret?</source>
        <translation>Signiergeheimnis ersetzen?</translation>
    </message>
    <message>
        <source>Receivers that check signatures with the current secret will reject every request until they have the new one.</source>
        <translation>Empfänger, die Signaturen mit dem aktuellen Geheimnis prüfen, lehnen jede Anfrage ab, bis sie das neue haben.</translation>
    </message>
    <message>
        <source>&amp;Replace Secret</source>
        <translation>Geheimnis &amp;ersetzen</translation>
    </message>
</context>
<context>
    <name>SecretRotationStore</name>
    <message>
        <source>Rotating the secret of webhook %1</source>
        <translation>Wechsel des Geheimnisses von Webhook %1</translation>
    </message>
    <message>
        <source>There is no webhook with id %1.</source>
        <translation>Es gibt keinen Webhook mit der ID %1.</translation>
    </message>
    <message>
        <source>Webhook %1 does not sign its requests, so it has no secret to rotate; choose a signature scheme and a secret first.</source>
        <translation>Webhook %1 signiert seine Anfragen nicht und hat daher kein Geheimnis zum Wechseln; wählen Sie zuerst ein Signaturverfahren und ein Geheimnis.</translation>
    </message>
    <message>
        <source>The new secret is the current one; rotating needs a new secret.</source>
        <translation>Das neue Geheimnis ist das aktuelle; ein Wechsel braucht ein neues Geheimnis.</translation>
    </message>
    <message>
        <source>Reading the previous secrets of webhook %1</source>
        <translation>Lesen der früheren Geheimnisse von Webhook %1</translation>
    </message>
</context>
<context>
    <name>ServerWaitPage</name>
    <message>
        <source>&amp;Try Now</source>
        <translation>&amp;Jetzt versuchen</translation>
    </message>
    <message>
        <source>&amp;Open Another Database…</source>
        <translation>Andere Datenbank &amp;öffnen…</translation>
    </message>
    <message>
        <source>Connect again now rather than at the next try</source>
        <translation>Jetzt neu verbinden statt beim nächsten Versuch</translation>
    </message>
    <message>
        <source>Work with another database file or server</source>
        <translation>Mit einer anderen Datenbankdatei oder einem anderen Server arbeiten</translation>
    </message>
    <message>
        <source>&amp;Edit Connection…</source>
        <translation>Verbindung &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Correct the user, password or database name</source>
        <translation>Benutzer, Passwort oder Datenbanknamen korrigieren</translation>
    </message>
    <message>
        <source>The database server refused the connection</source>
        <translation>Der Datenbankserver hat die Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>Waiting will not help: check the user name, password and database name, or open another database.</source>
        <translation>Warten hilft hier nicht: Prüfen Sie Benutzernamen, Passwort und Datenbanknamen, oder öffnen Sie eine andere Datenbank.</translation>
    </message>
    <message>
        <source>Connecting to the database server…</source>
        <translation>Verbindung zum Datenbankserver wird hergestellt…</translation>
    </message>
    <message>
        <source>The database server does not answer</source>
        <translation>Der Datenbankserver antwortet nicht</translation>
    </message>
    <message numerus="yes">
        <source>Trying again in %n second(s); the window opens as soon as it answers.</source>
        <extracomment>the window opens as soon as the server answers</extracomment>
        <translation>
            <numerusform>Nächster Versuch in %n Sekunde; das Fenster öffnet sich, sobald er antwortet.</numerusform>
            <numerusform>Nächster Versuch in %n Sekunden; das Fenster öffnet sich, sobald er antwortet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignatureVerifier</name>
    <message>
        <source>hook %1</source>
        <translation>Hook %1</translation>
    </message>
    <message>
        <source>inbox secret</source>
        <translation>Posteingangs-Secret</translation>
    </message>
    <message>
        <source>the secret of hook %1</source>
        <translation>dem Secret von Hook %1</translation>
    </message>
    <message>
        <source>the inbox secret</source>
        <translation>dem Secret des Posteingangs</translation>
    </message>
    <message>
        <source>Standard Webhooks</source>
        <translation>Standard Webhooks</translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation>GitHub</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>no webhook-signature or X-Hub-Signature-256 header</source>
        <translation>kein webhook-signature- oder X-Hub-Signature-256-Header</translation>
    </message>
    <message>
        <source>webhook-signature cannot be verified without webhook-id and webhook-timestamp</source>
        <translation>webhook-signature lässt sich ohne webhook-id und webhook-timestamp nicht prüfen</translation>
    </message>
    <message>
        <source>webhook-timestamp &quot;%1&quot; is not a number of seconds</source>
        <translation>webhook-timestamp „%1“ ist keine Anzahl Sekunden</translation>
    </message>
    <message>
        <source>webhook-signature and X-Hub-Signature-256</source>
        <translation>webhook-signature und X-Hub-Signature-256</translation>
    </message>
    <message>
        <source>%1 cannot be checked: no hook with a matching signing scheme points at this inbox, and it has no secret of its own (inbox set NAME --secret S --signature standard|github)</source>
        <translation>%1 lässt sich nicht prüfen: Kein Hook mit passendem Signaturverfahren zeigt auf diesen Posteingang, und er hat kein eigenes Secret (inbox set NAME --secret S --signature standard|github)</translation>
    </message>
    <message>
        <source>%1 does not match any secret: tried %2</source>
        <extracomment>%1 names the signature header(s), %2 lists what was tried, e.g. &quot;hook 3, inbox secret&quot;</extracomment>
        <translation>%1 passt zu keinem Secret: geprüft %2</translation>
    </message>
    <message>
        <source>signed with %1 (%2)</source>
        <translation>signiert mit %1 (%2)</translation>
    </message>
    <message>
        <source>%1 seconds in the past</source>
        <translation>%1 Sekunden in der Vergangenheit</translation>
    </message>
    <message>
        <source>%1 seconds in the future</source>
        <translation>%1 Sekunden in der Zukunft</translation>
    </message>
    <message>
        <source>%1, but webhook-timestamp is %2 (more than 5 minutes from now)</source>
        <extracomment>%1 is &quot;signed with ...&quot;, %2 e.g. &quot;600 seconds in the past&quot;</extracomment>
        <translation>%1, aber webhook-timestamp liegt %2 (mehr als 5 Minuten von jetzt)</translation>
    </message>
</context>
<context>
    <name>SqlDialect</name>
    <message>
        <source>lost the database server; connecting again: %1</source>
        <translation>Verbindung zum Datenbankserver verloren; neuer Verbindungsversuch: %1</translation>
    </message>
    <message>
        <source>connected to the database server again</source>
        <translation>wieder mit dem Datenbankserver verbunden</translation>
    </message>
</context>
<context>
    <name>StorageError</name>
    <message>
        <source>%1: the database is locked by another program; try again when it has finished.</source>
        <translation>%1: Die Datenbank ist von einem anderen Programm gesperrt; versuchen Sie es erneut, wenn es fertig ist.</translation>
    </message>
    <message>
        <source>%1: the database file is read-only; nothing was changed.</source>
        <translation>%1: Die Datenbankdatei ist schreibgeschützt; es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>%1: the disk or database is full; nothing was changed.</source>
        <translation>%1: Der Datenträger oder die Datenbank ist voll; es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>%1: the database file is damaged or is not a database (%2).</source>
        <translation>%1: Die Datenbankdatei ist beschädigt oder keine Datenbank (%2).</translation>
    </message>
    <message>
        <source>%1: the database file cannot be opened (%2).</source>
        <translation>%1: Die Datenbankdatei kann nicht geöffnet werden (%2).</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: the database is read-only; nothing was changed.</source>
        <translation>%1: Die Datenbank ist schreibgeschützt; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>%1: the database server is out of space or memory; nothing was changed.</source>
        <translation>%1: Dem Datenbankserver fehlt Speicher- oder Arbeitsspeicherplatz; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>%1: the database server cannot be reached (%2).</source>
        <translation>%1: Der Datenbankserver ist nicht erreichbar (%2).</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
</context>
<context>
    <name>TestSendDialog</name>
    <message>
        <source>Send Test</source>
        <translation>Test senden</translation>
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <extracomment>A JSON syntax error; %3 is Qt&apos;s description of it</extracomment>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <source>Test a delivery to %1</source>
        <extracomment>%1 is the webhook&apos;s URL</extracomment>
        <translation>Eine Zustellung an %1 testen</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation>&amp;Ereignis:</translation>
    </message>
    <message>
        <source>Pro&amp;ject:</source>
        <translation>Pro&amp;jekt:</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message>
        <source>The body of the request without &quot;action&quot; and &quot;project&quot;, which are added</source>
        <translation>Der Body der Anfrage ohne „action“ und „project“, die hinzugefügt werden</translation>
    </message>
    <message>
        <source>Pay&amp;load (JSON):</source>
        <translation>&amp;Nutzdaten (JSON):</translation>
    </message>
    <message>
        <source>Reset to Sa&amp;mple</source>
        <translation>Auf &amp;Beispiel zurücksetzen</translation>
    </message>
    <message>
        <source>Replace the payload with the event&apos;s sample payload</source>
        <translation>Die Nutzdaten durch die Beispiel-Nutzdaten des Ereignisses ersetzen</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>Close this window; a test on its way is still sent and logged</source>
        <translation>Dieses Fenster schließen; ein laufender Test wird trotzdem gesendet und protokolliert</translation>
    </message>
    <message>
        <source>Ping (a connection check)</source>
        <translation>Ping (Verbindungsprüfung)</translation>
    </message>
    <message>
        <source>Sends only a short message; for checking that the receiver answers</source>
        <translation>Sendet nur eine kurze Nachricht; um zu prüfen, ob der Empfänger antwortet</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>An event in the test&apos;s event list: display name and key</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>None</source>
        <extracomment>No project in a test send</extracomment>
        <translation>Keines</translation>
    </message>
    <message>
        <source>%1 (#%2)</source>
        <translation>%1 (#%2)</translation>
    </message>
    <message>
        <source>Not a real event: only for checking the connection</source>
        <translation>Kein echtes Ereignis: nur zur Prüfung der Verbindung</translation>
    </message>
    <message>
        <source>Enter the payload as a JSON object, e.g. {&quot;tasks&quot;: […]}.</source>
        <translation>Geben Sie die Nutzdaten als JSON-Objekt ein, z. B. {&quot;tasks&quot;: […]}.</translation>
    </message>
    <message numerus="yes">
        <source>The payload is larger than %n MiB.</source>
        <translation>
            <numerusform>Die Nutzdaten sind größer als %n MiB.</numerusform>
            <numerusform>Die Nutzdaten sind größer als %n MiB.</numerusform>
        </translation>
    </message>
    <message>
        <source>The payload must be a JSON object, e.g. {&quot;tasks&quot;: […]}.</source>
        <translation>Die Nutzdaten müssen ein JSON-Objekt sein, z. B. {&quot;tasks&quot;: […]}.</translation>
    </message>
    <message>
        <source>The payload cannot set &quot;action&quot;; it is the event&apos;s key.</source>
        <translation>Die Nutzdaten dürfen „action“ nicht setzen; das ist der Schlüssel des Ereignisses.</translation>
    </message>
    <message>
        <source>POST %1</source>
        <extracomment>%1 is the URL the test goes to</extracomment>
        <translation>POST %1</translation>
    </message>
    <message>
        <source>unsigned</source>
        <translation>unsigniert</translation>
    </message>
    <message>
        <source>signed with Standard Webhooks (webhook-signature)</source>
        <translation>signiert mit Standard Webhooks (webhook-signature)</translation>
    </message>
    <message>
        <source>signed like GitHub (X-Hub-Signature-256)</source>
        <translation>signiert wie bei GitHub (X-Hub-Signature-256)</translation>
    </message>
    <message numerus="yes">
        <source>timeout %n s</source>
        <translation>
            <numerusform>Zeitlimit %n s</numerusform>
            <numerusform>Zeitlimit %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>never retried</source>
        <translation>nie wiederholt</translation>
    </message>
    <message>
        <source>This webhook does not send payloads: the body is only {&quot;action&quot;: &quot;%1&quot;}.</source>
        <translation>Dieser Webhook sendet keine Nutzdaten: Der Body ist nur {&quot;action&quot;: &quot;%1&quot;}.</translation>
    </message>
    <message>
        <source>The webhook is inactive; a test is sent all the same.</source>
        <translation>Der Webhook ist inaktiv; ein Test wird trotzdem gesendet.</translation>
    </message>
    <message>
        <source>The delivery engine is not running, so nothing can be sent.</source>
        <translation>Die Zustell-Engine läuft nicht, daher kann nichts gesendet werden.</translation>
    </message>
    <message>
        <source>Fix the payload first</source>
        <translation>Korrigieren Sie zuerst die Nutzdaten</translation>
    </message>
    <message>
        <source>Waiting for the outcome of the last test</source>
        <translation>Warten auf das Ergebnis des letzten Tests</translation>
    </message>
    <message>
        <source>The delivery engine is not running</source>
        <translation>Die Zustell-Engine läuft nicht</translation>
    </message>
    <message>
        <source>Send the test now (Ctrl+Return)</source>
        <translation>Den Test jetzt senden (Strg+Return)</translation>
    </message>
    <message>
        <source>Nothing was stored for this test.</source>
        <translation>Für diesen Test wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>The test could not be stored: %1</source>
        <translation>Der Test konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <extracomment>%1 is the host the test goes to</extracomment>
        <translation>Senden an %1…</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>No outcome yet: the delivery engine has not reported back. The test stays queued and its outcome will appear in the log.</source>
        <translation>Noch kein Ergebnis: Die Zustell-Engine hat sich noch nicht zurückgemeldet. Der Test bleibt eingereiht; sein Ergebnis erscheint im Protokoll.</translation>
    </message>
    <message>
        <source>The details could not be read: %1</source>
        <translation>Die Details konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>✔ %1</source>
        <extracomment>The outcome of a test send, e.g. &quot;✔ HTTP 200 OK&quot; or &quot;✖ connection refused&quot;</extracomment>
        <translation>✔ %1</translation>
    </message>
    <message>
        <source>✖ %1</source>
        <translation>✖ %1</translation>
    </message>
    <message>
        <source>Test succeeded</source>
        <translation>Test erfolgreich</translation>
    </message>
    <message>
        <source>Test failed</source>
        <translation>Test fehlgeschlagen</translation>
    </message>
    <message>
        <source>Recording the details…</source>
        <translation>Details werden aufgezeichnet…</translation>
    </message>
    <message>
        <source>%1 ms · webhook-id %2 · attempt #%3 in the log</source>
        <extracomment>%1 milliseconds the attempt took, %2 its webhook-id header, %3 the attempt&apos;s id in the log</extracomment>
        <translation>%1 ms · webhook-id %2 · Versuch #%3 im Protokoll</translation>
    </message>
    <message>
        <source>Hide &amp;Details</source>
        <translation>&amp;Details ausblenden</translation>
    </message>
    <message>
        <source>Show &amp;Details</source>
        <translation>&amp;Details anzeigen</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>Senden an</translation>
    </message>
    <message>
        <source>The webhook&apos;s URL</source>
        <translation>Die URL des Webhooks</translation>
    </message>
    <message>
        <source>Another URL for this one send; the webhook keeps its own</source>
        <translation>Eine andere URL nur für diese Sendung; der Webhook behält seine eigene</translation>
    </message>
    <message>
        <source>Send &amp;to:</source>
        <translation>Senden &amp;an:</translation>
    </message>
    <message>
        <source>Edit and Resend</source>
        <translation>Bearbeiten und erneut senden</translation>
    </message>
    <message>
        <source>Resend delivery %1, edited, to %2</source>
        <extracomment>%1 is a delivery id, %2 the webhook&apos;s URL</extracomment>
        <translation>Zustellung %1 bearbeitet erneut senden an %2</translation>
    </message>
    <message>
        <source>Send to: %1</source>
        <extracomment>%1 says what is wrong with the URL</extracomment>
        <translation>Senden an: %1</translation>
    </message>
    <message>
        <source>Storing the test…</source>
        <extracomment>Shown while the test is being stored, before it is sent</extracomment>
        <translation>Der Test wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>TimeWindow</name>
    <message>
        <source>%1 &quot;%2&quot; is neither an ISO 8601 time (2026-12-01T08:00, 2026-12-01) nor a time ago (30m, 2h, 3d).</source>
        <extracomment>%1 is an option such as --since, %2 what was given</extracomment>
        <translation>%1 „%2“ ist weder eine ISO-8601-Zeit (2026-12-01T08:00, 2026-12-01) noch eine Zeit zurück (30m, 2h, 3d).</translation>
    </message>
</context>
<context>
    <name>WebhookValidator</name>
    <message>
        <source>Enter the URL that receives the webhook.</source>
        <translation>Geben Sie die URL ein, die den Webhook empfängt.</translation>
    </message>
    <message>
        <source>The URL is %1 characters long; at most %2 are allowed.</source>
        <translation>Die URL ist %1 Zeichen lang; erlaubt sind höchstens %2.</translation>
    </message>
    <message>
        <source>The URL contains a space or a control character.</source>
        <translation>Die URL enthält ein Leerzeichen oder ein Steuerzeichen.</translation>
    </message>
    <message>
        <source>This is not a valid URL: %1</source>
        <translation>Dies ist keine gültige URL: %1</translation>
    </message>
    <message>
        <source>The URL must start with http:// or https://.</source>
        <translation>Die URL muss mit http:// oder https:// beginnen.</translation>
    </message>
    <message>
        <source>Only http and https URLs can receive webhooks, not %1.</source>
        <translation>Nur http- und https-URLs können Webhooks empfangen, nicht %1.</translation>
    </message>
    <message>
        <source>The URL has no host name.</source>
        <translation>Die URL hat keinen Hostnamen.</translation>
    </message>
    <message>
        <source>The host name &quot;%1&quot; is not valid.</source>
        <translation>Der Hostname „%1“ ist ungültig.</translation>
    </message>
    <message>
        <source>A header needs a name.</source>
        <translation>Ein Header braucht einen Namen.</translation>
    </message>
    <message>
        <source>The header name is longer than 256 characters.</source>
        <translation>Der Header-Name ist länger als 256 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid header name: use letters, digits and !#$%&amp;&apos;*+-.^_`|~ only, no spaces or colons.</source>
        <translation>„%1“ ist kein gültiger Header-Name: Verwenden Sie nur Buchstaben, Ziffern und !#$%&amp;&apos;*+-.^_`|~, keine Leerzeichen oder Doppelpunkte.</translation>
    </message>
    <message>
        <source>%1 is set by Webhook Admin itself and cannot be overridden.</source>
        <translation>%1 setzt Webhook Admin selbst; der Header kann nicht überschrieben werden.</translation>
    </message>
    <message>
        <source>The header value is %1 characters long; at most %2 are allowed.</source>
        <translation>Der Header-Wert ist %1 Zeichen lang; erlaubt sind höchstens %2.</translation>
    </message>
    <message>
        <source>A header value cannot contain line breaks or NUL characters.</source>
        <translation>Ein Header-Wert darf keine Zeilenumbrüche oder NUL-Zeichen enthalten.</translation>
    </message>
    <message>
        <source>Choose a signature scheme for the signing secret, or clear the secret.</source>
        <translation>Wählen Sie ein Signaturverfahren für das Signatur-Geheimnis oder leeren Sie das Geheimnis.</translation>
    </message>
    <message>
        <source>Signing needs a secret: generate one or paste the receiver&apos;s.</source>
        <translation>Zum Signieren wird ein Geheimnis benötigt: Erzeugen Sie eines oder fügen Sie das des Empfängers ein.</translation>
    </message>
    <message>
        <source>The signing secret is longer than 1024 characters.</source>
        <translation>Das Signatur-Geheimnis ist länger als 1024 Zeichen.</translation>
    </message>
    <message>
        <source>A Standard Webhooks secret starts with whsec_ followed by base64.</source>
        <translation>Ein Standard-Webhooks-Geheimnis beginnt mit whsec_, gefolgt von Base64.</translation>
    </message>
    <message>
        <source>The part after whsec_ must be base64 of a 16 to 64 byte key.</source>
        <translation>Der Teil nach whsec_ muss ein Base64-kodierter Schlüssel von 16 bis 64 Bytes sein.</translation>
    </message>
    <message>
        <source>An event type needs a key.</source>
        <translation>Ein Ereignistyp braucht einen Schlüssel.</translation>
    </message>
    <message>
        <source>An event key has at most 64 characters.</source>
        <translation>Ein Ereignisschlüssel hat höchstens 64 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in UPPER_SNAKE_CASE (for example MODEL_TRAINED).</source>
        <translation>„%1“ ist nicht in UPPER_SNAKE_CASE (zum Beispiel MODEL_TRAINED).</translation>
    </message>
    <message>
        <source>Project %1 does not exist.</source>
        <translation>Projekt %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The description is longer than %1 characters.</source>
        <translation>Die Beschreibung ist länger als %1 Zeichen.</translation>
    </message>
    <message>
        <source>A hook can have at most %1 headers.</source>
        <translation>Ein Webhook kann höchstens %1 Header haben.</translation>
    </message>
    <message>
        <source>The header %1 is listed twice.</source>
        <translation>Der Header %1 ist doppelt aufgeführt.</translation>
    </message>
    <message>
        <source>Choose at least one event, or send for all actions.</source>
        <translation>Wählen Sie mindestens ein Ereignis oder senden Sie für alle Aktionen.</translation>
    </message>
    <message>
        <source>Unknown event type %1.</source>
        <translation>Unbekannter Ereignistyp %1.</translation>
    </message>
    <message>
        <source>%1 is an organization-wide event; a hook scoped to one project never receives it.</source>
        <translation>%1 ist ein organisationsweites Ereignis; ein Webhook für ein einzelnes Projekt erhält es nie.</translation>
    </message>
    <message>
        <source>The timeout must be between 1 and %1 seconds.</source>
        <translation>Das Zeitlimit muss zwischen 1 und %1 Sekunden liegen.</translation>
    </message>
    <message>
        <source>The number of attempts must be between 1 and %1.</source>
        <translation>Die Anzahl der Versuche muss zwischen 1 und %1 liegen.</translation>
    </message>
    <message>
        <source>The rate limit is between 1 and %1 requests a second or a minute.</source>
        <translation>Das Ratenlimit liegt zwischen 1 und %1 Anfragen pro Sekunde oder Minute.</translation>
    </message>
    <message>
        <source>At most between 1 and %1 requests in flight, or 0 for the engine&apos;s limit.</source>
        <translation>Höchstens zwischen 1 und %1 gleichzeitige Anfragen, oder 0 für das Limit der Engine.</translation>
    </message>
    <message>
        <source>A retry schedule has at most %1 steps.</source>
        <translation>Ein Wiederholungsplan hat höchstens %1 Schritte.</translation>
    </message>
    <message>
        <source>Each step of the retry schedule is between 0 seconds and a week.</source>
        <translation>Jeder Schritt des Wiederholungsplans liegt zwischen 0 Sekunden und einer Woche.</translation>
    </message>
</context>
<context>
    <name>runGui</name>
    <message>
        <source>Cannot Open the Database</source>
        <translation>Die Datenbank kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>The listener does not run: %1</source>
        <translation>Der Listener läuft nicht: %1</translation>
    </message>
    <message>
        <source>Move this file away, or restore it from a backup, and start Webhook Admin again: it then creates a new, empty database in its place.</source>
        <translation>Verschieben Sie diese Datei oder stellen Sie sie aus einer Sicherung wieder her, und starten Sie Webhook Admin erneut: Es legt dann an ihrer Stelle eine neue, leere Datenbank an.</translation>
    </message>
    <message>
        <source>Lost the connection to the database server (%1). Connecting again; until then the window shows what it last read.</source>
        <extracomment>%1 says why, e.g. &quot;server closed the connection unexpectedly&quot;</extracomment>
        <translation>Die Verbindung zum Datenbankserver ist verloren (%1). Sie wird neu hergestellt; bis dahin zeigt das Fenster den zuletzt gelesenen Stand.</translation>
    </message>
    <message>
        <source>Connected to the database server again</source>
        <translation>Wieder mit dem Datenbankserver verbunden</translation>
    </message>
    <message>
        <source>Webhook Admin — %1</source>
        <translation>Webhook Admin — %1</translation>
    </message>
</context>
</TS>

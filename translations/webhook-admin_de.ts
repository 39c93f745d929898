<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CliOutput</name>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
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
        <source>%1 is not a Webhook Admin database, or it is damaged (%2). Choose another file with --db, or move this one away.</source>
        <translation>%1 ist keine Webhook-Admin-Datenbank oder sie ist beschädigt (%2). Wählen Sie mit --db eine andere Datei oder verschieben Sie diese.</translation>
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
</context>
<context>
    <name>EventTreeModel</name>
    <message>
        <source>No custom event types yet. Add one with “Add custom event type…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This group has no event types.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check or clear every event in the group %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Organization-wide event; a project-scoped hook never receives it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeaderTableModel</name>
    <message>
        <source>A secret value is masked wherever it is shown or exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HookListModel</name>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the webhook sends its requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project whose events the webhook receives, or the whole organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inactive webhooks send nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The events the webhook is subscribed to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <extracomment>Separates event names in the hook list, e.g. &quot;Task created, Task deleted&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Sent for every event, including custom event types added later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscribed to no events: this webhook sends nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receives the events of every project and of the organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receives only the events of project &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active: sends requests when its events happen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled automatically: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inactive: sends nothing</source>
        <translation type="unfinished"></translation>
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
</context>
<context>
    <name>LabelStudioJson</name>
    <message>
        <source>url is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>url must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project must be a project id (a positive whole number) or null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>actions must be a list of event keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signature must be &quot;standard&quot;, &quot;github&quot; or null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its secrets are masked; export with --include-secrets to copy hooks together with their secrets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a date in ISO 8601 form, like 2024-05-01T12:00:00Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>headers must be an object of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret_headers must be a list of header names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret_headers names %1, which is not in headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is larger than %1 MB; split it into smaller files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is not valid JSON: %1 at byte %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file must hold a webhook object or a list of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file holds %1 webhooks; at most %2 can be imported at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a webhook object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PayloadBuilder</name>
    <message>
        <source>The payload for %1 needs the key &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a list for %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be an object for %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The payload cannot set &quot;action&quot;; it is the event&apos;s key.</source>
        <translation type="unfinished"></translation>
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
</context>
</TS>

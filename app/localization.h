#pragma once

class QCoreApplication;

// Loads the app's and Qt's translations for the system locale (LANGUAGE,
// LC_ALL, LC_MESSAGES, LANG), if one ships for it.
void installTranslators(QCoreApplication &app);

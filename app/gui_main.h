#pragma once

class QApplication;
class QString;

// Opens the database and shows the main window; returns the exit code.
int runGui(QApplication &app, const QString &databasePath);

#include "gui_main.h"

#include "main_window.h"

#include <QApplication>

int runGui(QApplication &app, const QString &databasePath)
{
    Q_UNUSED(databasePath);
    MainWindow window;
    window.show();
    return app.exec();
}

#pragma once

#include "store/listener_settings_store.h"

#include <QWidget>

class QCheckBox;
class StoreWriter;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

// The Preferences dialog's Listener page: whether the window runs the HTTP
// listener, where, with what body limit; the intake token (masked, with
// Show, Copy and Rotate); and the URL to paste into Label Studio.
class ListenerPreferencesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListenerPreferencesPage)

public:
    explicit ListenerPreferencesPage(ListenerSettingsStore *store, QWidget *parent = nullptr);

    // The fields as settings.
    ListenerSettings settings() const;
    // Reads the stored settings and token into the fields.
    Q_INVOKABLE void load();
    // Stores the fields; false (with the reason shown on the page) when they
    // are invalid or cannot be stored. saved() follows a success.
    bool save();
    // The Preferences dialog's OK and Apply.
    Q_INVOKABLE bool apply() { return !isDirty() || save(); }
    bool isDirty() const;
    // Where Save and Rotate store: the window's writer thread (the dialog
    // waits for the answer, painting). Without one, at once.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }
    // Where the listener runs now; empty: it does not run.
    void setRunningUrl(const QString &url);
    // http://HOST:PORT/intake/label-studio for the fields as they are.
    QString labelStudioUrl() const;

    QCheckBox *enabledBox() const { return m_enabled; }
    QLineEdit *addressEdit() const { return m_address; }
    QSpinBox *portSpin() const { return m_port; }
    QSpinBox *bodyLimitSpin() const { return m_bodyLimit; }
    QLineEdit *tokenEdit() const { return m_token; }
    QPushButton *showTokenButton() const { return m_showToken; }
    QPushButton *copyTokenButton() const { return m_copyToken; }
    QPushButton *rotateTokenButton() const { return m_rotateToken; }
    QLineEdit *labelStudioUrlEdit() const { return m_labelStudioUrl; }
    QLabel *errorLabel() const { return m_error; }
    QLabel *statusLabel() const { return m_status; }

signals:
    void saved(const ListenerSettings &settings);
    void changed();

private:
    void updateUrl();
    void showError(const QString &message);
    void rotateToken();

    ListenerSettingsStore *m_store;
    StoreWriter *m_writer = nullptr;
    ListenerSettings m_loaded;
    QCheckBox *m_enabled;
    QLineEdit *m_address;
    QSpinBox *m_port;
    QSpinBox *m_bodyLimit;
    QLineEdit *m_token;
    QPushButton *m_showToken;
    QPushButton *m_copyToken;
    QPushButton *m_rotateToken;
    QLineEdit *m_labelStudioUrl;
    QPushButton *m_copyUrl;
    QLabel *m_status;
    QLabel *m_error;
};

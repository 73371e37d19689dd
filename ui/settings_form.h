// SPDX-License-Identifier: GPL-3.0-or-later
// A form of run settings generated from the engine's settings table: one
// editor per setting (spin box, line edit, combo box or check box) with the
// table's label, range and help, and a message beside a field the engine
// refused. values() gives what the user set, by key, for buildRunConfig.
#pragma once

#include <QWidget>

#include <map>
#include <string>
#include <utility>
#include <vector>

class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSlider;

namespace wb {
struct Setting;
}

namespace wb::ui {

// An editor outside a generated form (a dialog's spin box, a slider) takes
// its range and default from its option table row, so it cannot drift from
// what the CLI and the engine accept. A spin box of d decimals shows an
// exclusive bound one step inside it; a slider counts in 1/scale units.
void applyOptionRow(QDoubleSpinBox* spin, const Setting& row);
void applyOptionRow(QSlider* slider, const Setting& row, int scale);

class SettingsForm : public QWidget {
    Q_OBJECT
public:
    // The settings `keys`, in the table's order.
    SettingsForm(const std::vector<std::string>& keys, QWidget* parent = nullptr);

    // Setting key -> text, for every field that holds a value (a line edit
    // left empty means the default and is left out).
    std::vector<std::pair<std::string, std::string>> values() const;
    QString value(const std::string& key) const;
    // Sets a field from text (a choice's name, a number); ignored when the
    // text does not fit the field.
    void setValue(const std::string& key, const QString& text);
    // Shows `message` under the field of `key` (empty clears every message).
    // False when this form has no such field.
    bool showError(const std::string& key, const QString& message);
    void clearErrors();
    QWidget* editor(const std::string& key) const;

signals:
    void changed();

private:
    QFormLayout* m_form = nullptr;
    std::map<std::string, QWidget*> m_editors;
    std::map<std::string, QLabel*> m_errors;
};

} // namespace wb::ui

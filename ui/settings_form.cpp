// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings_form.h"

#include "settings/settings.h"

#include <cmath>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QSlider>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <climits>

namespace wb::ui {

void applyOptionRow(QDoubleSpinBox* spin, const Setting& row)
{
    const double step = std::pow(10.0, -spin->decimals());
    spin->setRange(row.min + (row.minExclusive ? step : 0.0), row.max - (row.maxExclusive ? step : 0.0));
    if (const auto* d = std::get_if<double>(&row.defaultValue))
        spin->setValue(*d);
    spin->setToolTip(QCoreApplication::translate("Settings", row.help));
}

void applyOptionRow(QSlider* slider, const Setting& row, int scale)
{
    const int lo = static_cast<int>(std::lround(row.min * scale)) + (row.minExclusive ? 1 : 0);
    const int hi = static_cast<int>(std::lround(row.max * scale)) - (row.maxExclusive ? 1 : 0);
    slider->setRange(lo, hi);
    if (const auto* d = std::get_if<double>(&row.defaultValue))
        slider->setValue(static_cast<int>(std::lround(*d * scale)));
    slider->setToolTip(QCoreApplication::translate("Settings", row.help));
}


namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("Settings", text);
}

// An Integer setting fits a spin box when its range fits an int.
bool fitsSpinBox(const Setting& s)
{
    return s.type == SettingType::Integer && s.max <= INT_MAX && s.min >= INT_MIN + 1;
}

QWidget* makeEditor(const Setting& s, QWidget* parent)
{
    const QString def = QString::fromStdString(settingText(s.defaultValue));
    if (fitsSpinBox(s)) {
        auto* spin = new QSpinBox(parent);
        const int lo = static_cast<int>(s.min), hi = static_cast<int>(s.max);
        if (s.autoValue) {
            // The auto value sits just below the range and reads "auto".
            spin->setRange(static_cast<int>(*s.autoValue), hi);
            spin->setSpecialValueText(QCoreApplication::translate("Settings", "auto (%1)").arg(QString::fromStdString(s.autoHelp)));
        } else {
            spin->setRange(lo, hi);
        }
        if (s.key == "threads")
            spin->setSpecialValueText(QCoreApplication::translate("Settings", "all cores"));
        spin->setValue(static_cast<int>(std::get<std::int64_t>(s.defaultValue)));
        spin->setGroupSeparatorShown(true);
        spin->setSingleStep(s.key == "steps" ? 100 : 1);
        return spin;
    }
    switch (s.type) {
    case SettingType::Choice: {
        auto* combo = new QComboBox(parent);
        for (const auto& c : s.choices)
            combo->addItem(QString::fromStdString(c), QString::fromStdString(c));
        combo->setCurrentIndex(combo->findData(def));
        return combo;
    }
    case SettingType::Flag: {
        auto* check = new QCheckBox(parent);
        check->setChecked(std::get<bool>(s.defaultValue));
        return check;
    }
    default: {
        // Numbers as text: 3e-4 reads better than a spin box's 0.000300.
        auto* edit = new QLineEdit(parent);
        QString hint = s.autoValue ? QCoreApplication::translate("Settings", "auto: %1").arg(QString::fromStdString(s.autoHelp))
                                          : def;
        if (s.key == "sample_prompt")
            hint = QCoreApplication::translate("Settings", "a newline");
        edit->setPlaceholderText(hint); // the default, shown until the user types
        return edit;
    }
    }
}

} // namespace

SettingsForm::SettingsForm(const std::vector<std::string>& keys, QWidget* parent) : QWidget(parent)
{
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    for (const auto& s : trainSettings()) {
        if (std::find(keys.begin(), keys.end(), s.key) == keys.end())
            continue;
        QWidget* editor = makeEditor(s, this);
        editor->setObjectName(QStringLiteral("setting-") + QString::fromStdString(s.key));
        editor->setMinimumWidth(60);
        QString tip = tr(s.help);
        if (s.type == SettingType::Integer || s.type == SettingType::Real)
            tip += QLatin1Char('\n') + QString::fromStdString(s.key + ": " + s.rangeText());
        editor->setToolTip(tip);
        auto* label = new QLabel(tr(s.label) + QLatin1Char(':'), this);
        label->setBuddy(editor);
        label->setToolTip(tip);
        m_form->addRow(label, editor);
        auto* error = new QLabel(this);
        error->setObjectName(QStringLiteral("settingError-") + QString::fromStdString(s.key));
        error->setWordWrap(true);
        error->setStyleSheet(QStringLiteral("color: #b00020;"));
        error->hide();
        m_form->addRow(QString(), error);
        m_editors[s.key] = editor;
        m_errors[s.key] = error;
        if (auto* spin = qobject_cast<QSpinBox*>(editor))
            connect(spin, &QSpinBox::valueChanged, this, &SettingsForm::changed);
        else if (auto* combo = qobject_cast<QComboBox*>(editor))
            connect(combo, &QComboBox::currentIndexChanged, this, &SettingsForm::changed);
        else if (auto* check = qobject_cast<QCheckBox*>(editor))
            connect(check, &QCheckBox::toggled, this, &SettingsForm::changed);
        else if (auto* edit = qobject_cast<QLineEdit*>(editor))
            connect(edit, &QLineEdit::textChanged, this, &SettingsForm::changed);
    }
    connect(this, &SettingsForm::changed, this, &SettingsForm::clearErrors);
}

QString SettingsForm::value(const std::string& key) const
{
    QWidget* e = editor(key);
    if (auto* spin = qobject_cast<QSpinBox*>(e))
        return QString::number(spin->value());
    if (auto* combo = qobject_cast<QComboBox*>(e))
        return combo->currentData().toString();
    if (auto* check = qobject_cast<QCheckBox*>(e))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto* edit = qobject_cast<QLineEdit*>(e))
        return edit->text().trimmed();
    return {};
}

std::vector<std::pair<std::string, std::string>> SettingsForm::values() const
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& s : trainSettings()) {
        if (!m_editors.count(s.key))
            continue;
        const QString v = value(s.key);
        if (v.isEmpty() && qobject_cast<QLineEdit*>(editor(s.key)))
            continue; // left empty: the default
        out.emplace_back(s.key, v.toStdString());
    }
    return out;
}

void SettingsForm::setValue(const std::string& key, const QString& text)
{
    QWidget* e = editor(key);
    if (auto* spin = qobject_cast<QSpinBox*>(e)) {
        bool ok = false;
        const int v = text.toInt(&ok);
        if (ok && v >= spin->minimum() && v <= spin->maximum())
            spin->setValue(v);
    } else if (auto* combo = qobject_cast<QComboBox*>(e)) {
        if (const int i = combo->findData(text); i >= 0)
            combo->setCurrentIndex(i);
    } else if (auto* check = qobject_cast<QCheckBox*>(e)) {
        check->setChecked(text == QStringLiteral("true"));
    } else if (auto* edit = qobject_cast<QLineEdit*>(e)) {
        edit->setText(text);
    }
}

bool SettingsForm::showError(const std::string& key, const QString& message)
{
    auto it = m_errors.find(key);
    if (it == m_errors.end())
        return false;
    it->second->setText(message);
    it->second->show();
    if (QWidget* e = editor(key))
        e->setFocus();
    return true;
}

void SettingsForm::clearErrors()
{
    for (auto& [key, label] : m_errors)
        label->hide();
}

QWidget* SettingsForm::editor(const std::string& key) const
{
    auto it = m_editors.find(key);
    return it == m_editors.end() ? nullptr : it->second;
}

} // namespace wb::ui

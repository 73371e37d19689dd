// SPDX-License-Identifier: GPL-3.0-or-later
// "Add corpus": files and folders, how they are cut into documents, labels,
// globs, cleaning policies and the split. Invalid choices are shown inline
// and keep OK disabled.
#pragma once

#include "data/corpus_import.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace wb::ui {

class ImportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDialog(QWidget* parent = nullptr);

    void addPaths(const QStringList& paths);
    void setName(const QString& name);
    CorpusImportOptions options() const;
    // Empty when the choices can be imported; otherwise what is wrong.
    QString problem() const;

private:
    void validate();

    QLineEdit* m_name = nullptr;
    QListWidget* m_paths = nullptr;
    QComboBox* m_format = nullptr;
    QLineEdit* m_textField = nullptr;
    QLineEdit* m_labelField = nullptr;
    QLineEdit* m_include = nullptr;
    QLineEdit* m_exclude = nullptr;
    QComboBox* m_badUtf8 = nullptr;
    QComboBox* m_badRecord = nullptr;
    QSpinBox* m_minChars = nullptr;
    QSpinBox* m_maxChars = nullptr;
    QCheckBox* m_nfc = nullptr;
    QDoubleSpinBox* m_split[3] = {};
    QSpinBox* m_seed = nullptr;
    QLabel* m_problem = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace wb::ui

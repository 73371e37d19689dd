// SPDX-License-Identifier: GPL-3.0-or-later
// "Distil…" on a stored run: the run teaches; the student is a preset or a
// design (the designer's editor inline), with its size against the
// teacher's shown as it changes; alpha, the temperature and the main
// training settings come from the settings table. Optionally the same
// student is queued without the teacher, as the baseline.
#pragma once

#include "services/run_service.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace wb::ui {

class EngineBridge;
class SettingsForm;
class SpecEditor;

class DistillDialog : public QDialog {
    Q_OBJECT
public:
    DistillDialog(EngineBridge* bridge, std::int64_t teacherRun, QWidget* parent = nullptr);

    DistillRequest request() const;
    bool baseline() const;

private:
    void choosePreset();
    void updatePreview();

    EngineBridge* m_bridge;
    std::int64_t m_teacher;
    Task m_kind = Task::Lm; // the teacher's task
    QComboBox* m_preset = nullptr;
    SpecEditor* m_student = nullptr;
    QComboBox* m_corpus = nullptr;
    SettingsForm* m_form = nullptr;
    QCheckBox* m_baseline = nullptr;
    QLabel* m_preview = nullptr;
    QPushButton* m_ok = nullptr;
};

} // namespace wb::ui

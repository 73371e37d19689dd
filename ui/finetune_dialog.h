// SPDX-License-Identifier: GPL-3.0-or-later
// "Fine-tune…" on a stored run: the target corpus, the task and method and
// the main training settings (from the settings table), and before anything
// starts, what the method trains: parameters, their share, which layers.
#pragma once

#include "services/run_service.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace wb::ui {

class EngineBridge;
class SettingsForm;

class FinetuneDialog : public QDialog {
    Q_OBJECT
public:
    FinetuneDialog(EngineBridge* bridge, std::int64_t parentRun, QWidget* parent = nullptr);

    FinetuneRequest request() const;

private:
    void updatePreview();

    EngineBridge* m_bridge;
    std::int64_t m_parent;
    QComboBox* m_corpus = nullptr;
    SettingsForm* m_form = nullptr;
    QLabel* m_preview = nullptr;
    QPushButton* m_ok = nullptr;
};

} // namespace wb::ui

// SPDX-License-Identifier: GPL-3.0-or-later
// What-if tools for a run before it is compressed (methods.md B11): where
// its bytes are (a bar per layer, which layers to attack), what an SVD
// energy threshold would give one linear layer (rank, parameters and
// reconstruction error, shown as the slider moves, before anything is
// compressed), and a sensitivity sweep that prunes or quantizes one layer
// at a time and plots the change in validation loss per layer.
#pragma once

#include <QJsonArray>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;

namespace wb::ui {

class EngineBridge;

class WhatIfView : public QWidget {
    Q_OBJECT
public:
    explicit WhatIfView(EngineBridge* bridge, QWidget* parent = nullptr);
    void showRun(std::int64_t runId);
    // The threshold as a fraction in [0.5, 1] (the slider), and what it gives.
    void setEnergy(double energy);
    QString energyText() const;
    void startSweep();

private:
    void chooseLayer();
    void showEnergy();
    void showSweep(const QString& json);

    EngineBridge* m_bridge;
    std::int64_t m_run = 0;
    QLabel* m_title;
    QCustomPlot* m_bytes;
    QComboBox* m_layer;
    QSlider* m_energy;
    QLabel* m_energyText;
    QCustomPlot* m_curve;
    QJsonArray m_rankCurve;
    QComboBox* m_method;
    QDoubleSpinBox* m_sparsity;
    QPushButton* m_sweep;
    QCustomPlot* m_sensitivity;
};

} // namespace wb::ui

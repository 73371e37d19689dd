// SPDX-License-Identifier: GPL-3.0-or-later
// The variant board (methods.md B11): every run in the families of the
// selected runs (the root and all it descends to: fine-tuned, distilled and
// compressed variants) on one scatter, x = file bytes, latency or
// parameters (log), y = perplexity or bits per char; the Pareto frontier
// (no other variant is both smaller or faster and better) highlighted;
// arrows from parent to child; the card on hover; two rows selected in
// the table compared side by side. The board exports as PNG, SVG and PDF,
// its table as CSV and LaTeX. Also: compress the selected run, measure
// the runs not measured yet.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace wb::ui {

class EngineBridge;

class VariantBoard : public QWidget {
    Q_OBJECT
public:
    explicit VariantBoard(EngineBridge* bridge, QWidget* parent = nullptr);
    // The families of these runs (reloaded from the catalog).
    void showRuns(const std::vector<std::int64_t>& runs);
    void reload();
    // Writes the board (.png, .svg, .pdf) or its table (.csv, .tex); false
    // with the reason for another extension or a failed write.
    bool exportBoard(const QString& path, QString* error);
    bool exportTable(const QString& path, QString* error);
    // The Pareto frontier's runs for the current axes, by x.
    std::vector<std::int64_t> frontier() const;
    // The card of one run as shown on hover.
    QString card(std::int64_t run) const;
    // The side-by-side comparison of two rows (run ids), as shown below the table.
    QString diff(std::int64_t a, std::int64_t b) const;

signals:
    void runSelected(qint64 runId);

private:
    void replot();
    void fillTable();
    void compressSelected();
    void measureMissing();
    void selectionChanged();
    void hover(QMouseEvent* event);
    double xOf(const QJsonObject& r) const;
    double yOf(const QJsonObject& r) const;
    QString label(const QJsonObject& r) const;
    std::optional<QJsonObject> row(std::int64_t run) const;

    EngineBridge* m_bridge;
    std::vector<std::int64_t> m_runs;
    QJsonArray m_rows;
    QComboBox* m_x;
    QComboBox* m_y;
    QCheckBox* m_logX;
    QCustomPlot* m_plot;
    QTableWidget* m_table;
    QLabel* m_diff;
    QLabel* m_status;
    QPushButton* m_measure;
    QPushButton* m_compress;
};

} // namespace wb::ui

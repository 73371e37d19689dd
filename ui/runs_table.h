// SPDX-License-Identifier: GPL-3.0-or-later
// The list of runs in the catalog; selecting one shows its curves.
#pragma once

#include "catalog/records.h"

#include <QTableWidget>

#include <vector>

namespace wb::ui {

class RunsTable : public QTableWidget {
    Q_OBJECT
public:
    explicit RunsTable(QWidget* parent = nullptr);
    void setRuns(const std::vector<RunRecord>& runs);
    void selectRun(std::int64_t runId);
    std::int64_t selectedRun() const;
    static QString statusText(RunStatus status); // translated

signals:
    void runSelected(qint64 runId);
};

} // namespace wb::ui

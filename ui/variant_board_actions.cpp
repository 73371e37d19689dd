// SPDX-License-Identifier: GPL-3.0-or-later
// The variant board's actions that leave the board: exporting the plot and
// the Compress… dialog.
#include "variant_board.h"

#include "engine_bridge.h"
#include "settings/compression_settings.h"
#include "settings_form.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace wb::ui {

bool VariantBoard::exportBoard(const QString& path, QString* error)
{
    const int w = std::max(800, m_plot->width()), h = std::max(500, m_plot->height());
    bool ok = false;
    if (path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive)) {
        ok = m_plot->savePng(path, w, h, 2.0);
    } else if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive)) {
        ok = m_plot->savePdf(path, w, h);
    } else if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(tr("LM Workbench variant board"));
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            m_plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
        ok = ok && QFile::exists(path);
    } else {
        if (error)
            *error = tr("%1: export the board as .png, .svg or .pdf").arg(path);
        return false;
    }
    if (!ok && error)
        *error = tr("cannot write %1").arg(path);
    return ok;
}

void VariantBoard::compressSelected()
{
    std::int64_t run = m_runs.empty() ? 0 : m_runs.front();
    const auto sel = m_table->selectedRanges();
    if (!sel.isEmpty())
        run = m_table->item(sel.front().topRow(), 0)->text().toLongLong();
    if (run == 0)
        return;
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("compressDialog"));
    dialog.setWindowTitle(tr("Compress run %1").arg(run));
    auto* method = new QComboBox;
    method->setObjectName(QStringLiteral("compressMethod"));
    method->addItem(tr("int8 quantization (linear layers and embeddings)"), QStringLiteral("quantize"));
    method->addItem(tr("magnitude pruning (unstructured)"), QStringLiteral("prune"));
    method->addItem(tr("structured pruning: attention heads"), QStringLiteral("heads"));
    method->addItem(tr("structured pruning: MLP units"), QStringLiteral("ffn"));
    method->addItem(tr("structured pruning: LSTM units"), QStringLiteral("units"));
    method->addItem(tr("structured pruning: CNN channels"), QStringLiteral("channels"));
    method->addItem(tr("low-rank factorization (truncated SVD)"), QStringLiteral("lowrank"));
    auto* sparsity = new QDoubleSpinBox;
    sparsity->setObjectName(QStringLiteral("compressSparsity"));
    sparsity->setDecimals(2);
    applyOptionRow(sparsity, compressionSetting("sparsity"));
    sparsity->setSingleStep(0.05);
    auto* scope = new QComboBox;
    scope->addItem(tr("each layer its own threshold"), QStringLiteral("layer"));
    scope->addItem(tr("one global threshold"), QStringLiteral("global"));
    auto* energy = new QDoubleSpinBox;
    energy->setObjectName(QStringLiteral("compressEnergy"));
    energy->setDecimals(3);
    applyOptionRow(energy, compressionSetting("energy"));
    energy->setSingleStep(0.01);
    auto* form = new QFormLayout;
    form->addRow(tr("&Method:"), method);
    form->addRow(tr("&Fraction removed:"), sparsity);
    form->addRow(tr("&Threshold:"), scope);
    form->addRow(tr("SVD &energy kept:"), energy);
    auto* note = new QLabel(tr("The variant is a new run with run %1 as its parent. Fine-tune it afterwards "
                               "(Fine-tune… on the run) to recover what it lost; an int8 variant does not train.")
                                .arg(run));
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Compress"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    auto update = [&] {
        const QString m = method->currentData().toString();
        sparsity->setEnabled(m != QStringLiteral("quantize") && m != QStringLiteral("lowrank"));
        scope->setEnabled(m == QStringLiteral("prune"));
        energy->setEnabled(m == QStringLiteral("lowrank"));
    };
    connect(method, &QComboBox::currentIndexChanged, &dialog, update);
    update();
    if (dialog.exec() != QDialog::Accepted)
        return;
    CompressRequest r;
    r.run = run;
    const QString m = method->currentData().toString();
    r.method = (m == QStringLiteral("quantize") || m == QStringLiteral("lowrank")) ? m.toStdString() : "prune";
    if (m != QStringLiteral("prune") && r.method == "prune")
        r.structured = m.toStdString();
    r.sparsity = sparsity->value();
    r.scope = scope->currentData().toString().toStdString();
    r.energy = energy->value();
    QString error;
    if (!m_bridge->startCompress(r, &error))
        m_status->setText(tr("Cannot compress run %1: %2").arg(run).arg(error));
    else
        m_status->setText(tr("Compressing run %1…").arg(run));
}

} // namespace wb::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "finetune_dialog.h"

#include "engine_bridge.h"
#include "models/model_spec.h"
#include "settings_form.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace wb::ui {

FinetuneDialog::FinetuneDialog(EngineBridge* bridge, std::int64_t parentRun, QWidget* parent)
    : QDialog(parent), m_bridge(bridge), m_parent(parentRun)
{
    setObjectName(QStringLiteral("finetuneDialog"));
    setWindowTitle(tr("Fine-tune run %1").arg(parentRun));
    setMinimumWidth(480);
    auto* intro = new QLabel(tr("A new run starts from run %1's latest checkpoint with its model and tokenizer, "
                                "trains on the target corpus and records run %1 as its parent.")
                                 .arg(parentRun));
    intro->setWordWrap(true);
    m_corpus = new QComboBox;
    m_corpus->setObjectName(QStringLiteral("finetuneCorpus"));
    for (const auto& c : bridge->corpora())
        m_corpus->addItem(QString::fromStdString(c.name));
    auto* top = new QFormLayout;
    top->addRow(tr("Target &corpus:"), m_corpus);
    m_form = new SettingsForm({"task", "method", "unfreeze_every", "discriminative_factor", "steps", "lr", "schedule", "batch", "threads"});
    m_preview = new QLabel;
    m_preview->setObjectName(QStringLiteral("finetunePreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Fine-tune"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(top);
    layout->addWidget(m_form);
    layout->addWidget(m_preview);
    layout->addWidget(buttons);
    connect(m_corpus, &QComboBox::currentIndexChanged, this, &FinetuneDialog::updatePreview);
    connect(m_form, &SettingsForm::changed, this, &FinetuneDialog::updatePreview);
    updatePreview();
}

FinetuneRequest FinetuneDialog::request() const
{
    FinetuneRequest r;
    r.parent = m_parent;
    r.corpus = m_corpus->currentText().toStdString();
    r.values = m_form->values();
    return r;
}

void FinetuneDialog::updatePreview()
{
    FinetunePreview p;
    QString error;
    const bool ok = m_bridge->previewFinetune(request(), &p, &error);
    m_ok->setEnabled(ok);
    if (!ok) {
        m_preview->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(error.toHtmlEscaped()));
        return;
    }
    const QLocale loc;
    m_preview->setText(tr("Trains %1 of %2 parameters (%3 %, %4 as fp32): %5. Starts from step %6.")
                           .arg(loc.toString(static_cast<qlonglong>(p.trainable)), loc.toString(static_cast<qlonglong>(p.parameters)))
                           .arg(100.0 * static_cast<double>(p.trainable) / static_cast<double>(std::max<std::int64_t>(1, p.parameters)), 0, 'f', 1)
                           .arg(loc.formattedDataSize(fp32Bytes(p.trainable)), QString::fromStdString(p.trains))
                           .arg(p.parentStep));
}

} // namespace wb::ui

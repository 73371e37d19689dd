// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill_dialog.h"

#include "designer.h"
#include "engine_bridge.h"
#include "models/model_spec.h"
#include "settings/run_config.h"
#include "settings_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace wb::ui {

DistillDialog::DistillDialog(EngineBridge* bridge, std::int64_t teacherRun, QWidget* parent)
    : QDialog(parent), m_bridge(bridge), m_teacher(teacherRun)
{
    setObjectName(QStringLiteral("distillDialog"));
    setWindowTitle(tr("Distil run %1").arg(teacherRun));
    auto* intro = new QLabel(tr("Run %1 teaches: a new student learns from its softened next-token distributions "
                                "(alpha T\u00B2 KL) beside the text itself ((1 \u2212 alpha) cross-entropy), reading the "
                                "teacher's tokenizer.")
                                 .arg(teacherRun));
    intro->setWordWrap(true);
    std::string teacherCorpus;
    for (const auto& r : bridge->runs())
        if (r.id == teacherRun) {
            teacherCorpus = r.corpusName;
            try {
                // A classifier teaches a classifier (task distillation).
                m_kind = RunConfig::fromJson(r.config).train.task;
            } catch (const std::exception&) {
            }
        }
    if (m_kind == Task::Classify)
        intro->setText(tr("Run %1 is a classifier: a new student classifier learns from its softened class distribution "
                          "beside the labels of a corpus with the same labels.")
                           .arg(teacherRun));
    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("distillPreset"));
    for (const auto& p : presets())
        m_preset->addItem(QString::fromStdString(p.name));
    m_preset->setCurrentText(QStringLiteral("cbow-tiny"));
    m_student = new SpecEditor(tr("Student"));
    m_student->setObjectName(QStringLiteral("distillStudent"));
    m_corpus = new QComboBox;
    m_corpus->setObjectName(QStringLiteral("distillCorpus"));
    for (const auto& c : bridge->corpora())
        m_corpus->addItem(QString::fromStdString(c.name));
    m_corpus->setCurrentText(QString::fromStdString(teacherCorpus));
    auto* top = new QFormLayout;
    top->addRow(tr("Student &preset:"), m_preset);
    top->addRow(tr("&Corpus:"), m_corpus);
    m_form = new SettingsForm({"kd_alpha", "kd_temperature", "steps", "lr", "batch", "threads"});
    m_baseline = new QCheckBox(tr("Also queue the same student without the teacher (the baseline)"));
    m_baseline->setObjectName(QStringLiteral("distillBaseline"));
    m_baseline->setChecked(true);
    m_preview = new QLabel;
    m_preview->setObjectName(QStringLiteral("distillPreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Distil"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* left = new QVBoxLayout;
    left->addWidget(intro);
    left->addLayout(top);
    left->addWidget(m_form);
    left->addWidget(m_baseline);
    left->addWidget(m_preview);
    left->addStretch(1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addWidget(m_student, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(buttons);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &DistillDialog::choosePreset);
    connect(m_student, &SpecEditor::specChanged, this, &DistillDialog::updatePreview);
    connect(m_corpus, &QComboBox::currentIndexChanged, this, &DistillDialog::updatePreview);
    connect(m_form, &SettingsForm::changed, this, &DistillDialog::updatePreview);
    choosePreset();
}

void DistillDialog::choosePreset()
{
    try {
        m_student->setSpec(resolveSpec(m_preset->currentText().toStdString()));
    } catch (const std::exception&) {
    }
    updatePreview();
}

DistillRequest DistillDialog::request() const
{
    DistillRequest r;
    r.teacher = m_teacher;
    r.kind = m_kind;
    const ModelSpec spec = m_student->spec();
    const bool preset = [&] {
        try {
            return resolveSpec(m_preset->currentText().toStdString()).toJson() == spec.toJson();
        } catch (const std::exception&) {
            return false;
        }
    }();
    // A preset as it is goes by its name; an edited design by its family.
    r.student = preset ? m_preset->currentText().toStdString() : "designed " + spec.family;
    r.studentSpec = spec.toJson();
    r.corpus = m_corpus->currentText().toStdString();
    r.values = m_form->values();
    return r;
}

bool DistillDialog::baseline() const
{
    return m_baseline->isChecked();
}

void DistillDialog::updatePreview()
{
    if (!m_student->valid()) {
        m_ok->setEnabled(false);
        m_preview->clear();
        return;
    }
    DistillPreview p;
    QString error;
    const bool ok = m_bridge->previewDistill(request(), &p, &error);
    m_ok->setEnabled(ok);
    if (!ok) {
        m_preview->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(error.toHtmlEscaped()));
        return;
    }
    const QLocale loc;
    m_preview->setText(tr("Student: %1 parameters (%2 as fp32), %3 of the teacher's %4 (1/%5). Context %6, tokenizer %7.")
                           .arg(loc.toString(static_cast<qlonglong>(p.studentParams)), loc.formattedDataSize(fp32Bytes(p.studentParams)))
                           .arg(loc.toString(100.0 * static_cast<double>(p.studentParams) / static_cast<double>(std::max<std::int64_t>(1, p.teacherParams)), 'f', 1)
                                + QStringLiteral(" %"))
                           .arg(loc.toString(static_cast<qlonglong>(p.teacherParams)))
                           .arg(loc.toString(static_cast<double>(p.teacherParams) / static_cast<double>(std::max<std::int64_t>(1, p.studentParams)), 'f', 1))
                           .arg(p.context)
                           .arg(QString::fromStdString(p.tokenizer)));
}

} // namespace wb::ui

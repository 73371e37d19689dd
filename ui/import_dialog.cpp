// SPDX-License-Identifier: GPL-3.0-or-later
#include "import_dialog.h"

#include "core/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace wb::ui {

namespace {

std::vector<std::string> globs(const QString& text)
{
    std::vector<std::string> out;
    for (const auto& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out.push_back(part.trimmed().toStdString());
    return out;
}

} // namespace

ImportDialog::ImportDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Add corpus"));
    setObjectName(QStringLiteral("importDialog"));
    auto* form = new QFormLayout;

    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("corpusNameEdit"));
    form->addRow(tr("&Name:"), m_name);

    m_paths = new QListWidget;
    m_paths->setObjectName(QStringLiteral("pathsList"));
    m_paths->setMinimumHeight(90);
    auto* addFiles = new QPushButton(tr("Add &files…"));
    auto* addFolder = new QPushButton(tr("Add f&older…"));
    auto* removePath = new QPushButton(tr("&Remove"));
    auto* pathButtons = new QVBoxLayout;
    pathButtons->addWidget(addFiles);
    pathButtons->addWidget(addFolder);
    pathButtons->addWidget(removePath);
    pathButtons->addStretch(1);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_paths, 1);
    pathRow->addLayout(pathButtons);
    form->addRow(tr("Files and folders:"), pathRow);

    m_format = new QComboBox;
    m_format->setObjectName(QStringLiteral("formatCombo"));
    const std::pair<QString, QString> formats[] = {
        {QStringLiteral("auto"), tr("Automatic (by extension; text in blank-line blocks)")},
        {QStringLiteral("blocks"), tr("Text: one document per blank-line block (or fortune “%” entry)")},
        {QStringLiteral("text"), tr("Text: one document per file")},
        {QStringLiteral("lines"), tr("Text: one document per line")},
        {QStringLiteral("jsonl"), tr("JSON Lines")},
        {QStringLiteral("csv"), tr("CSV (RFC 4180, header row)")},
        {QStringLiteral("tsv"), tr("TSV (header row)")},
        {QStringLiteral("folders"), tr("Labeled folders: one subfolder per class")},
        {QStringLiteral("man"), tr("Manual pages (roff, .gz)")}};
    for (const auto& [key, label] : formats)
        m_format->addItem(label, key);
    form->addRow(tr("&Format:"), m_format);

    m_textField = new QLineEdit(QStringLiteral("text"));
    m_textField->setObjectName(QStringLiteral("textFieldEdit"));
    form->addRow(tr("&Text field or column:"), m_textField);
    m_labelField = new QLineEdit;
    m_labelField->setObjectName(QStringLiteral("labelFieldEdit"));
    m_labelField->setPlaceholderText(tr("none (unlabeled)"));
    form->addRow(tr("&Label field or column:"), m_labelField);

    m_include = new QLineEdit;
    m_include->setObjectName(QStringLiteral("includeEdit"));
    m_include->setPlaceholderText(tr("every file, or e.g. **/*.py, **/*.md"));
    form->addRow(tr("&Include globs:"), m_include);
    m_exclude = new QLineEdit;
    m_exclude->setObjectName(QStringLiteral("excludeEdit"));
    m_exclude->setPlaceholderText(tr("e.g. **/test/**"));
    form->addRow(tr("E&xclude globs:"), m_exclude);

    m_badUtf8 = new QComboBox;
    m_badUtf8->setObjectName(QStringLiteral("badUtf8Combo"));
    m_badUtf8->addItem(tr("Refuse the import"), QStringLiteral("fail"));
    m_badUtf8->addItem(tr("Replace with U+FFFD"), QStringLiteral("replace"));
    m_badUtf8->addItem(tr("Skip the document"), QStringLiteral("skip"));
    form->addRow(tr("Invalid &UTF-8:"), m_badUtf8);
    m_badRecord = new QComboBox;
    m_badRecord->setObjectName(QStringLiteral("badRecordCombo"));
    m_badRecord->addItem(tr("Refuse the import"), QStringLiteral("fail"));
    m_badRecord->addItem(tr("Skip the record"), QStringLiteral("skip"));
    form->addRow(tr("Malformed &records:"), m_badRecord);

    m_minChars = new QSpinBox;
    m_minChars->setRange(0, 1'000'000'000);
    m_minChars->setValue(1);
    m_maxChars = new QSpinBox;
    m_maxChars->setObjectName(QStringLiteral("maxCharsSpin"));
    m_maxChars->setRange(0, 1'000'000'000);
    m_maxChars->setSpecialValueText(tr("no limit"));
    auto* lengthRow = new QHBoxLayout;
    lengthRow->addWidget(m_minChars);
    lengthRow->addWidget(new QLabel(tr("to")));
    lengthRow->addWidget(m_maxChars);
    form->addRow(tr("Document length (characters):"), lengthRow);

    m_nfc = new QCheckBox(tr("Normalize to Unicode &NFC"));
    m_nfc->setChecked(true);
    form->addRow(QString(), m_nfc);

    auto* splitRow = new QHBoxLayout;
    const double defaults[3] = {0.9, 0.05, 0.05};
    const QString names[3] = {tr("train"), tr("validation"), tr("test")};
    for (int i = 0; i < 3; ++i) {
        m_split[i] = new QDoubleSpinBox;
        m_split[i]->setObjectName(QStringLiteral("split%1Spin").arg(i));
        m_split[i]->setRange(0.0, 1.0);
        m_split[i]->setDecimals(3);
        m_split[i]->setSingleStep(0.01);
        m_split[i]->setValue(defaults[i]);
        splitRow->addWidget(new QLabel(names[i]));
        splitRow->addWidget(m_split[i]);
        connect(m_split[i], &QDoubleSpinBox::valueChanged, this, &ImportDialog::validate);
    }
    form->addRow(tr("Split by document:"), splitRow);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 2'000'000'000);
    m_seed->setValue(1234);
    form->addRow(tr("Split &seed:"), m_seed);

    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Import"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* outer = new QVBoxLayout(this);
    outer->addLayout(form);
    outer->addWidget(m_problem);
    outer->addWidget(m_buttons);

    connect(addFiles, &QPushButton::clicked, this, [this] {
        addPaths(QFileDialog::getOpenFileNames(this, tr("Choose text files"), QString(),
                                               tr("Text and data (*.txt *.md *.jsonl *.ndjson *.csv *.tsv *.gz);;All files (*)")));
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a folder"));
        if (!dir.isEmpty())
            addPaths({dir});
    });
    connect(removePath, &QPushButton::clicked, this, [this] {
        delete m_paths->currentItem();
        validate();
    });
    connect(m_name, &QLineEdit::textChanged, this, &ImportDialog::validate);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::validate);
    connect(m_textField, &QLineEdit::textChanged, this, &ImportDialog::validate);
    connect(m_labelField, &QLineEdit::textChanged, this, &ImportDialog::validate);
    connect(m_minChars, &QSpinBox::valueChanged, this, &ImportDialog::validate);
    connect(m_maxChars, &QSpinBox::valueChanged, this, &ImportDialog::validate);
    validate();
}

void ImportDialog::addPaths(const QStringList& paths)
{
    for (const auto& p : paths) {
        m_paths->addItem(p);
        if (m_name->text().isEmpty())
            m_name->setText(QFileInfo(p).completeBaseName());
    }
    validate();
}

void ImportDialog::setName(const QString& name)
{
    m_name->setText(name);
}

CorpusImportOptions ImportDialog::options() const
{
    CorpusImportOptions o;
    o.name = m_name->text().trimmed().toStdString();
    for (int i = 0; i < m_paths->count(); ++i)
        o.paths.emplace_back(m_paths->item(i)->text().toStdString());
    o.format = parseTextFormat(m_format->currentData().toString().toStdString());
    o.textField = m_textField->text().trimmed().toStdString();
    o.labelField = m_labelField->text().trimmed().toStdString();
    o.include = globs(m_include->text());
    o.exclude = globs(m_exclude->text());
    o.onBadUtf8 = parseBadUtf8Policy(m_badUtf8->currentData().toString().toStdString());
    o.onBadRecord = parseBadRecordPolicy(m_badRecord->currentData().toString().toStdString());
    o.minChars = m_minChars->value();
    o.maxChars = m_maxChars->value();
    o.nfc = m_nfc->isChecked();
    o.split = {m_split[0]->value(), m_split[1]->value(), m_split[2]->value()};
    o.seed = static_cast<std::uint64_t>(m_seed->value());
    return o;
}

QString ImportDialog::problem() const
{
    const QString format = m_format->currentData().toString();
    const bool records = format == QLatin1String("jsonl") || format == QLatin1String("csv")
                         || format == QLatin1String("tsv") || format == QLatin1String("auto");
    if (m_name->text().trimmed().isEmpty())
        return tr("Give the corpus a name.");
    // The engine's one rule for names (engine/core/names.h), as the CLI has it.
    if (const auto why = nameProblem(m_name->text().toStdString()))
        return tr("Corpus name: %1.").arg(QString::fromStdString(*why));
    if (m_paths->count() == 0)
        return tr("Add at least one file or folder.");
    if (records && m_textField->text().trimmed().isEmpty())
        return tr("Name the field or column that holds the text.");
    const double sum = m_split[0]->value() + m_split[1]->value() + m_split[2]->value();
    if (std::abs(sum - 1.0) > 1e-6)
        return tr("The split fractions add up to %1; they must add up to 1.").arg(sum, 0, 'f', 3);
    if (m_split[0]->value() <= 0 || m_split[1]->value() <= 0)
        return tr("Training and validation need a fraction above 0.");
    if (m_maxChars->value() > 0 && m_maxChars->value() < m_minChars->value())
        return tr("The maximum document length is below the minimum.");
    return {};
}

void ImportDialog::validate()
{
    const QString format = m_format->currentData().toString();
    const bool records = format == QLatin1String("jsonl") || format == QLatin1String("csv")
                         || format == QLatin1String("tsv") || format == QLatin1String("auto");
    m_textField->setEnabled(records);
    m_labelField->setEnabled(records);
    const QString p = problem();
    m_problem->setText(p);
    m_problem->setVisible(!p.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

} // namespace wb::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "designer.h"

#include "core/files.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace wb::ui {

// ------------------------------------------------------------ BlockDiagram

BlockDiagram::BlockDiagram(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("blockDiagram"));
    setMinimumHeight(120);
}

void BlockDiagram::setLayers(const QStringList& layers)
{
    m_layers = layers;
    updateGeometry();
    update();
}

QSize BlockDiagram::sizeHint() const
{
    return {360, 16 + static_cast<int>(m_layers.size()) * 40};
}

void BlockDiagram::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int boxH = 28, gap = 12, margin = 8;
    const int w = width() - 2 * margin;
    int y = margin;
    const QColor fill = palette().color(QPalette::AlternateBase);
    for (int i = 0; i < m_layers.size(); ++i) {
        const QRect box(margin, y, w, boxH);
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        p.setBrush(i == 0 || i + 1 == m_layers.size() ? QColor(70, 130, 200, 60) : fill);
        p.drawRoundedRect(box, 5, 5);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(box.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   p.fontMetrics().elidedText(m_layers[i], Qt::ElideRight, box.width() - 16));
        if (i + 1 < m_layers.size()) {
            const int x = margin + w / 2;
            p.setPen(QPen(palette().color(QPalette::Mid), 1.5));
            p.drawLine(x, y + boxH, x, y + boxH + gap);
            p.drawLine(x, y + boxH + gap, x - 4, y + boxH + gap - 5);
            p.drawLine(x, y + boxH + gap, x + 4, y + boxH + gap - 5);
        }
        y += boxH + gap;
    }
}

// ------------------------------------------------------------ SpecEditor

SpecEditor::SpecEditor(const QString& title, QWidget* parent) : QGroupBox(title, parent)
{
    m_family = new QComboBox;
    m_family->setObjectName(QStringLiteral("familyCombo"));
    for (const auto& f : families())
        m_family->addItem(QString::fromStdString(f.name + " — " + f.title), QString::fromStdString(f.name));
    m_vocab = new QSpinBox;
    m_vocab->setObjectName(QStringLiteral("vocabSpin"));
    m_vocab->setRange(2, 10'000'000);
    m_vocab->setValue(256);
    m_vocab->setGroupSeparatorShown(true);
    m_batch = new QSpinBox;
    m_batch->setRange(1, 65536);
    m_batch->setValue(16);
    m_formHost = new QWidget;
    m_form = new QFormLayout(m_formHost);
    m_params = new QLabel;
    m_params->setObjectName(QStringLiteral("designerParams"));
    m_params->setWordWrap(true);
    m_params->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_costs = new QLabel;
    m_costs->setObjectName(QStringLiteral("designerCosts"));
    m_costs->setWordWrap(true);
    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("designerProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_diagram = new BlockDiagram;

    auto* top = new QFormLayout;
    top->addRow(tr("&Family:"), m_family);
    top->addRow(tr("&Vocabulary:"), m_vocab);
    top->addRow(tr("&Batch (for memory):"), m_batch);
    auto* load = new QPushButton(tr("&Load…"));
    auto* save = new QPushButton(tr("&Save…"));
    auto* files = new QHBoxLayout;
    files->addWidget(load);
    files->addWidget(save);
    files->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_formHost);
    layout->addWidget(m_problem);
    layout->addWidget(m_params);
    layout->addWidget(m_costs);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_diagram);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(160);
    layout->addWidget(scroll, 1);
    layout->addLayout(files);

    connect(m_family, &QComboBox::currentIndexChanged, this, [this] {
        const auto family = m_family->currentData().toString().toStdString();
        if (family != m_spec.family) {
            m_spec = ModelSpec::defaults(family);
            rebuildForm();
        }
    });
    connect(m_vocab, &QSpinBox::valueChanged, this, &SpecEditor::updateCosts);
    connect(m_batch, &QSpinBox::valueChanged, this, &SpecEditor::updateCosts);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Load a model spec"), QString(), tr("Model specs (*.json)"));
        QString error;
        if (!f.isEmpty() && !loadFile(f, &error))
            QMessageBox::warning(this, tr("Load a model spec"), error);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        QString f = QFileDialog::getSaveFileName(this, tr("Save the model spec"), QString(), tr("Model specs (*.json)"));
        if (f.isEmpty())
            return;
        if (!f.endsWith(QLatin1String(".json")))
            f += QStringLiteral(".json");
        QString error;
        if (!saveFile(f, &error))
            QMessageBox::warning(this, tr("Save the model spec"), error);
    });
    setSpec(resolveSpec(kDefaultPreset));
}

void SpecEditor::setSpec(const ModelSpec& spec)
{
    m_spec = spec;
    m_family->blockSignals(true);
    m_family->setCurrentIndex(m_family->findData(QString::fromStdString(spec.family)));
    m_family->blockSignals(false);
    rebuildForm();
}

void SpecEditor::setVocab(int vocab)
{
    m_vocab->setValue(vocab);
}

void SpecEditor::rebuildForm()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    for (const auto& f : familyInfo(m_spec.family).fields) {
        const QString name = QString::fromStdString(f.name);
        QWidget* editor = nullptr;
        const double value = m_spec.get(f.name);
        if (f.type == FieldType::Bool) {
            auto* box = new QCheckBox;
            box->setChecked(value != 0.0);
            connect(box, &QCheckBox::toggled, this, [this, n = f.name](bool on) {
                m_spec.set(n, on ? 1.0 : 0.0);
                updateCosts();
            });
            editor = box;
        } else if (f.type == FieldType::Int) {
            auto* spin = new QSpinBox;
            spin->setRange(static_cast<int>(f.min), static_cast<int>(f.max));
            spin->setValue(static_cast<int>(value));
            spin->setGroupSeparatorShown(true);
            connect(spin, &QSpinBox::valueChanged, this, [this, n = f.name](int v) {
                m_spec.set(n, v);
                updateCosts();
            });
            editor = spin;
        } else {
            auto* spin = new QDoubleSpinBox;
            spin->setRange(f.min, f.max);
            spin->setDecimals(3);
            spin->setSingleStep(0.05);
            spin->setValue(value);
            connect(spin, &QDoubleSpinBox::valueChanged, this, [this, n = f.name](double v) {
                m_spec.set(n, v);
                updateCosts();
            });
            editor = spin;
        }
        editor->setObjectName(QStringLiteral("field-") + name);
        editor->setToolTip(QString::fromStdString(f.help));
        m_form->addRow(name + QLatin1Char(':'), editor);
    }
    m_formHost->adjustSize();
    if (layout())
        layout()->invalidate();
    updateCosts();
}

void SpecEditor::updateCosts()
{
    const std::int64_t V = m_vocab->value();
    try {
        m_spec.validate(m_spec.family);
        m_valid = true;
        m_problem->clear();
        m_problem->hide();
    } catch (const std::exception& e) {
        m_valid = false;
        m_problem->setText(QString::fromUtf8(e.what()));
        m_problem->show();
        m_params->setText(tr("—"));
        m_costs->clear();
        m_diagram->setLayers({});
        emit specChanged();
        return;
    }
    const QLocale loc;
    const auto params = m_spec.parameterCount(V);
    m_params->setText(tr("<b>%1 parameters</b> = %2")
                          .arg(loc.toString(static_cast<qlonglong>(params)),
                               QString::fromStdString(m_spec.parameterFormula()).toHtmlEscaped()));
    m_costs->setText(tr("fp32 %1, int8 %2<br>%3 FLOP/token to train, %4 to infer<br>about %5 to train with batch %6 × %7")
                         .arg(loc.formattedDataSize(fp32Bytes(params)), loc.formattedDataSize(params))
                         .arg(m_spec.trainingFlopsPerToken(V), 0, 'g', 3)
                         .arg(m_spec.inferenceFlopsPerToken(V), 0, 'g', 3)
                         .arg(loc.formattedDataSize(m_spec.trainingMemoryBytes(V, m_batch->value())))
                         .arg(m_batch->value())
                         .arg(m_spec.context()));
    QStringList layers;
    for (const auto& l : m_spec.layerDiagram(V))
        layers << QString::fromStdString(l);
    m_diagram->setLayers(layers);
    emit specChanged();
}

bool SpecEditor::loadFile(const QString& file, QString* error)
{
    try {
        setSpec(ModelSpec::fromJson(readFile(file.toStdString()), file.toStdString()));
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool SpecEditor::saveFile(const QString& file, QString* error) const
{
    if (!m_valid) {
        if (error)
            *error = m_problem->text();
        return false;
    }
    try {
        writeBytesAtomically(file.toStdString(), m_spec.toJson() + "\n");
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

// ------------------------------------------------------------ DesignerDialog

DesignerDialog::DesignerDialog(int vocab, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("designerDialog"));
    setWindowTitle(tr("Architecture designer"));
    m_left = new SpecEditor(tr("Design A"));
    m_left->setObjectName(QStringLiteral("designA"));
    m_right = new SpecEditor(tr("Design B"));
    m_right->setObjectName(QStringLiteral("designB"));
    m_left->setVocab(vocab);
    m_right->setVocab(vocab);
    m_right->setSpec(resolveSpec("lstm-tiny"));
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_left);
    split->addWidget(m_right);
    auto* trainA = new QPushButton(tr("Train design &A"));
    trainA->setObjectName(QStringLiteral("trainDesignA"));
    auto* trainB = new QPushButton(tr("Train design &B"));
    auto* close = new QPushButton(tr("&Close"));
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    auto request = [this](SpecEditor* e, const QString& name) {
        if (e->valid())
            emit trainRequested(name, QString::fromStdString(e->spec().toJson()));
    };
    connect(trainA, &QPushButton::clicked, this, [=] { request(m_left, QStringLiteral("design-a")); });
    connect(trainB, &QPushButton::clicked, this, [=] { request(m_right, QStringLiteral("design-b")); });
    connect(m_left, &SpecEditor::specChanged, this, [=] { trainA->setEnabled(m_left->valid()); });
    connect(m_right, &SpecEditor::specChanged, this, [=] { trainB->setEnabled(m_right->valid()); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(trainA);
    buttons->addWidget(trainB);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    resize(1100, 780);
}

} // namespace wb::ui

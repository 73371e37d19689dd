// SPDX-License-Identifier: GPL-3.0-or-later
// The architecture designer: choose a family, edit its fields in a form
// built from the family's field list, and see live the exact parameter
// count and its formula, the size as fp32 and int8, FLOPs per token for
// training and inference, the estimated training memory, and a block diagram
// drawn from the spec. Specs load from and save to JSON files; two editors
// sit side by side to compare designs.
#pragma once

#include "models/model_spec.h"

#include <QDialog>
#include <QGroupBox>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace wb::ui {

// Draws the layer list of a spec as stacked boxes joined by arrows.
class BlockDiagram : public QWidget {
    Q_OBJECT
public:
    explicit BlockDiagram(QWidget* parent = nullptr);
    void setLayers(const QStringList& layers);
    const QStringList& layers() const { return m_layers; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_layers;
};

class SpecEditor : public QGroupBox {
    Q_OBJECT
public:
    explicit SpecEditor(const QString& title, QWidget* parent = nullptr);

    void setSpec(const ModelSpec& spec);
    // The spec as edited; valid() tells whether it passes validation.
    ModelSpec spec() const { return m_spec; }
    bool valid() const { return m_valid; }
    void setVocab(int vocab);
    bool loadFile(const QString& file, QString* error);
    bool saveFile(const QString& file, QString* error) const;

signals:
    void specChanged();

private:
    void rebuildForm();
    void updateCosts();

    ModelSpec m_spec;
    bool m_valid = true;
    QComboBox* m_family = nullptr;
    QFormLayout* m_form = nullptr;
    QWidget* m_formHost = nullptr;
    QSpinBox* m_vocab = nullptr;
    QSpinBox* m_batch = nullptr;
    QLabel* m_params = nullptr;
    QLabel* m_costs = nullptr;
    QLabel* m_problem = nullptr;
    BlockDiagram* m_diagram = nullptr;
};

class DesignerDialog : public QDialog {
    Q_OBJECT
public:
    explicit DesignerDialog(int vocab, QWidget* parent = nullptr);
    SpecEditor* left() const { return m_left; }
    SpecEditor* right() const { return m_right; }

signals:
    // "Train this design" on one of the editors.
    void trainRequested(const QString& name, const QString& specJson);

private:
    SpecEditor* m_left = nullptr;
    SpecEditor* m_right = nullptr;
};

} // namespace wb::ui

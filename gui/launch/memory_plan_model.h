// The memory plan of the Launch view's config as a read-only table: one row per stage with the
// bytes per GPU of weights, gradients, optimizer state, activations, KV cache and the total, and
// whether it fits (the advice as the row's tooltip). Filled from `astro plan --json` (core/plan).
#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QString>
#include <QVector>

namespace astro::gui {

struct MemoryPlanRow {
  QString stage;
  QString model;  // empty: the stage runs no model
  QString work;
  qint64 weights = 0, gradients = 0, optimizer = 0, activations = 0, kvCache = 0, total = 0;
  bool fits = true;
  QString advice;
};

struct MemoryPlan {
  QString summary;  // "cuda, 8 GPU(s) of 80.0 GiB: fits" or the error
  bool fits = true;
  QVector<MemoryPlanRow> rows;
};

// Parses `astro plan --json` output; empty rows and `error` set when it is not a plan.
MemoryPlan parseMemoryPlanJson(const QByteArray& json, QString* error);
QString formatByteCount(qint64 bytes);  // "71.0 GiB" as core/plan prints it

class MemoryPlanModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kStage, kModel, kWeights, kGradients, kOptimizer, kActivations, kKvCache, kTotal,
                kFits, kColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setPlan(MemoryPlan plan);
  const MemoryPlan& plan() const { return plan_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  MemoryPlan plan_;
};

}  // namespace astro::gui

// A read-only table of plain values (one QVariantList per row) behind the overview's tables
// (stages, metrics, artifacts, datasets); numbers sort as numbers and export as CSV.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariantList>
#include <vector>

namespace astro::gui {

class ValueTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  explicit ValueTableModel(QStringList headers, QObject* parent = nullptr);

  void setRows(std::vector<QVariantList> rows);
  const std::vector<QVariantList>& rows() const { return rows_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QStringList headers_;
  std::vector<QVariantList> rows_;
};

// RFC 4180 CSV of any model's top-level rows (display text; header row first).
QString modelToCsv(const QAbstractItemModel& model);
QString csvField(const QString& text);

}  // namespace astro::gui

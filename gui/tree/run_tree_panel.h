// The problems panel of the tree view: the stored search trees of the selected run (run ->
// problems list -> tree) in a lazily filled table with filters (solved, subject, level, text) and
// a sort (click a count's header), both run in SQL; it starts sorted by nodes, most first, so the
// run opens on its largest tree. Choosing a row asks for that tree. While the run is running the
// list polls for the trees its search stage stores, keeping the selection and the scroll position.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace astro::gui {

class RunTreeListModel;

class RunTreePanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunTreePanel(QWidget* parent = nullptr);

  // Lists the run's trees (read on a worker thread); 0 clears the list.
  void showRun(const std::filesystem::path& folder, std::int64_t runId);
  std::int64_t runId() const;
  RunTreeListModel* model() const { return model_; }
  QTableView* view() const { return view_; }
  // Selects `row` (which opens its tree); false when the row is not loaded.
  bool selectRow(int row);
  QComboBox* solvedBox() const { return solved_; }
  QComboBox* subjectBox() const { return subject_; }
  QComboBox* levelBox() const { return level_; }
  QLineEdit* searchBox() const { return search_; }
  QString errorText() const;  // a failed read of the list; empty when none
  // How often a running run's list is read again (default 2,500 ms).
  void setRefreshInterval(int milliseconds);
  bool isPolling() const;

 Q_SIGNALS:
  // The user (or selectRow) chose a tree of the list.
  void treeChosen(qint64 treeId, const QString& label);
  // The first page of a run arrived: `rows` loaded of `total`.
  void runListed(qint64 runId, int rows, qint64 total);

 private:
  void buildTable();
  void updateTitle();
  void applyFilter();
  void fillTopicBoxes();
  void updatePolling();
  void reselectChosenTree();

  QLabel* title_ = nullptr;
  QLabel* error_ = nullptr;
  QTableView* view_ = nullptr;
  RunTreeListModel* model_ = nullptr;
  QComboBox* solved_ = nullptr;
  QComboBox* subject_ = nullptr;
  QComboBox* level_ = nullptr;
  QLineEdit* search_ = nullptr;
  QTimer* searchDelay_ = nullptr;
  QTimer* poll_ = nullptr;
  qint64 listedRun_ = 0;   // the run whose first page runListed announced
  qint64 chosenTree_ = 0;  // the tree treeChosen last named
};

}  // namespace astro::gui

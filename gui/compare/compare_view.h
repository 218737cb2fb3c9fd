// The Compare view: two or more runs side by side, each in its run colour. Their configs as a
// diff (only the keys that differ), their stage timings and their evaluation table (benchmark x
// checkpoint, pass@1 with its 95% interval), and below them their training curves overlaid
// (gui/charts/curves_panel.h), read on worker threads whenever the runs change or the view is
// shown; a superseded read is dropped, and a read error is shown where the tables would be. While
// a compared run is still running it is read again every few seconds. With fewer than two runs it
// says how to select them.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "gui/common/job_tracker.h"

class QLabel;
class QSplitter;
class QTableView;
class QTimer;

namespace astro::gui {

class ConfigDiffModel;
class CurvesPanel;
class EvalTableModel;
class StageTimingModel;
struct ComparisonRead;

class CompareView : public QWidget {
  Q_OBJECT
 public:
  enum class Section { kConfig, kStages, kEvaluations };

  explicit CompareView(QWidget* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);
  // The runs in the order their columns take; fewer than two shows the hint instead.
  void setRuns(std::vector<std::int64_t> runIds);
  const std::vector<std::int64_t>& runs() const { return runIds_; }
  // Reads the runs again (when shown; a hidden view reads when it is next shown).
  void reload();
  // How long after a read that found a running run the next read starts.
  void setPollInterval(int milliseconds);

  ConfigDiffModel* configModel() const { return configModel_; }
  StageTimingModel* stageModel() const { return stageModel_; }
  EvalTableModel* evalModel() const { return evalModel_; }
  CurvesPanel* curves() const { return curves_; }
  QTableView* table(Section section) const;
  QString errorText(Section section) const;  // empty when that section shows its table
  QString readError() const;  // the workspace or a run could not be read; empty otherwise
  bool isReading() const { return reads_.isRunning(); }
  // The hint or the runs' names above the tables.
  QString headline() const;

 Q_SIGNALS:
  // A read was applied (its result or its error is on screen).
  void loaded();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  struct SectionWidgets {
    QWidget* box = nullptr;
    QLabel* heading = nullptr;
    QLabel* error = nullptr;
    QLabel* note = nullptr;
    QTableView* table = nullptr;
  };
  SectionWidgets buildSection(QWidget* parent, const QString& title, const QString& note,
                              const char* name);
  QWidget* buildCurves(QWidget* parent);
  void updateCurves();
  void apply(ComparisonRead read);
  void sizeToContent();  // splitters: each table as wide and tall as its content
  void setHeading(const SectionWidgets& section, const QString& title, const QString& note);
  void showSectionError(Section section, const QString& error);
  void setNote(const SectionWidgets& widgets, const QString& note);
  void clearTables();
  const SectionWidgets& section(Section which) const;

  std::filesystem::path folder_;
  std::vector<std::int64_t> runIds_;
  std::vector<std::int64_t> sizedFor_;  // the runs the splitter was last sized for
  QLabel* headline_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* readError_ = nullptr;
  QTimer* poll_ = nullptr;
  QSplitter* body_ = nullptr;    // the tables above the curves
  QSplitter* tables_ = nullptr;  // the three tables side by side
  SectionWidgets config_, stages_, evaluations_;
  ConfigDiffModel* configModel_ = nullptr;
  StageTimingModel* stageModel_ = nullptr;
  EvalTableModel* evalModel_ = nullptr;
  CurvesPanel* curves_ = nullptr;
  std::filesystem::path curvesFolder_;  // what the curves panel was last given
  std::vector<std::int64_t> curvesRuns_;
  JobTracker reads_{this};
};

}  // namespace astro::gui

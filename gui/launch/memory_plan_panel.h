// The Launch view's memory plan, beside the config: GPUs and GPU memory to plan for, and the table
// of bytes per GPU per stage (MemoryPlanModel), recomputed by `astro plan - --json` whenever the
// config or the choices change. The studio links neither the pipeline nor libtorch, so the CLI
// computes the plan, in a process that never blocks the GUI thread; an answer for an older config
// is dropped, and an error is shown where the table would be.
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QProcess;
class QSpinBox;
class QTableView;

namespace astro::gui {

class MemoryPlanModel;

class MemoryPlanPanel : public QWidget {
  Q_OBJECT
 public:
  MemoryPlanPanel(QString cliPath, QWidget* parent = nullptr);
  ~MemoryPlanPanel() override;

  // Plans `text` (relative paths against `baseDir`); a plan still being made is dropped.
  void plan(const QString& text, const QString& baseDir, const QString& source);
  MemoryPlanModel* model() const { return model_; }
  QSpinBox* gpus() const { return gpus_; }
  QComboBox* gpuMemory() const { return gpuMemory_; }
  QString errorText() const;
  QString summaryText() const;
  bool planning() const { return process_ != nullptr; }

 Q_SIGNALS:
  void planned();  // the table (or the error) shows the latest config's plan

 private:
  void replan();

  QString cliPath_;
  QString text_, baseDir_, source_;
  QPointer<QProcess> process_;
  MemoryPlanModel* model_ = nullptr;
  QSpinBox* gpus_ = nullptr;
  QComboBox* gpuMemory_ = nullptr;
  QLabel* summary_ = nullptr;
  QLabel* error_ = nullptr;
  QTableView* table_ = nullptr;
};

}  // namespace astro::gui

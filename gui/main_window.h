// The studio's main window: workspace side panel, views in tabs, log panel; restores its layout.
#pragma once

#include <QMainWindow>
#include <QString>

class QLabel;

namespace astro::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QString workspaceDir, QWidget* parent = nullptr);
  ~MainWindow() override;

  QString workspaceDir() const { return workspaceDir_; }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void restoreLayout();
  void chooseWorkspace();

  QString workspaceDir_;
  QLabel* workspaceLabel_ = nullptr;
};

}  // namespace astro::gui

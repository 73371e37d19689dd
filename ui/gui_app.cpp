// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI application: translations, command line, catalog, main window.
#include "core/errors.h"
#include "core/paths.h"
#include "gui_app.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

namespace wb::ui {

int runGui(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("lm-workbench"));
    QApplication::setApplicationName(QStringLiteral("LM Workbench"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lm-workbench.svg")));

    QTranslator qtTranslator, appTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    if (appTranslator.load(QLocale(), QStringLiteral("lm_workbench"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("GuiApp", "Design, train and compare small language models."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption catalogOption(QStringLiteral("catalog"),
                                     QCoreApplication::translate("GuiApp", "Use the catalog file <path>."),
                                     QCoreApplication::translate("GuiApp", "path"));
    parser.addOption(catalogOption);
    parser.process(app);

    std::filesystem::path catalog = wb::defaultCatalogPath();
    if (parser.isSet(catalogOption))
        catalog = parser.value(catalogOption).toStdString();

    std::unique_ptr<wb::ui::MainWindow> window;
    try {
        window = std::make_unique<wb::ui::MainWindow>(catalog);
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, QCoreApplication::translate("GuiApp", "LM Workbench"),
                              QCoreApplication::translate("GuiApp", "Cannot open the catalog:\n%1")
                                  .arg(QString::fromStdString(e.what())));
        return 2;
    }
    window->show();
    return QApplication::exec();
}

} // namespace wb::ui

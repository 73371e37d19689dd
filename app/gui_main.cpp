// SPDX-License-Identifier: GPL-3.0-or-later
// lm-workbench: the desktop GUI.
#include "core/errors.h"
#include "core/paths.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

int main(int argc, char** argv)
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
    parser.setApplicationDescription(QApplication::translate("main", "Design, train and compare small language models."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption catalogOption(QStringLiteral("catalog"),
                                     QApplication::translate("main", "Use the catalog file <path>."),
                                     QApplication::translate("main", "path"));
    parser.addOption(catalogOption);
    parser.process(app);

    std::filesystem::path catalog = wb::defaultCatalogPath();
    if (parser.isSet(catalogOption))
        catalog = parser.value(catalogOption).toStdString();

    std::unique_ptr<wb::ui::MainWindow> window;
    try {
        window = std::make_unique<wb::ui::MainWindow>(catalog);
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "LM Workbench"),
                              QApplication::translate("main", "Cannot open the catalog:\n%1")
                                  .arg(QString::fromStdString(e.what())));
        return 2;
    }
    window->show();
    return QApplication::exec();
}

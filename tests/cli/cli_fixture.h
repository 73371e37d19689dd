// SPDX-License-Identifier: GPL-3.0-or-later
// What the lmwb CLI tests share: running lmwb on a catalog of the test
// function's own (holding the corpus "small" of tests/data), and files in a
// temporary folder.
#pragma once

#include "catalog/catalog.h"
#include "store/corpus_store.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>

struct Result {
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
};

class CliFixture {
protected:
    QTemporaryDir m_tmp;
    QString m_catalog;

    Result lmwb(QStringList args, int timeoutMs = 300000)
    {
        QProcess p;
        args.prepend(m_catalog);
        args.prepend(QStringLiteral("--catalog"));
        p.start(QStringLiteral(LMWB_BINARY), args);
        p.waitForFinished(timeoutMs);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

    QString tmpFile(const QString& name, const QByteArray& bytes)
    {
        const QString path = m_tmp.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

    // Every test function gets a catalog of its own, holding the corpus
    // "small" unless `withSmall` is false: each passes when run alone.
    void catalogForThisFunction(bool withSmall)
    {
        const QString name = QString::fromLatin1(QTest::currentTestFunction());
        m_catalog = m_tmp.filePath(name + QStringLiteral(".sqlite"));
        if (!withSmall || QFileInfo::exists(m_catalog))
            return;
        wb::Catalog c(m_catalog.toStdString());
        wb::CorpusImportOptions opt;
        opt.name = "small";
        opt.paths = {LMWB_TEST_DATA "/small.txt"};
        wb::importCorpus(c, opt);
    }
};

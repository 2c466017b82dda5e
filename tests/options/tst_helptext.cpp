// SPDX-License-Identifier: MIT
#include "helptext.h"

#include <QTest>

using namespace Reservo;

// --help's layout: one column of descriptions, "(default X) [NAME]" whole at the end of an entry,
// lines wrapped at 100 columns, the environment-only settings in a section of their own.
class tst_HelpText : public QObject
{
    Q_OBJECT
private slots:
    void layout();
    void wrapsLongDescriptions_data();
    void wrapsLongDescriptions();
    void longHeadGetsItsOwnLine();
};

void tst_HelpText::layout()
{
    const QList<OptionSpec> specs{
        {.env = "PORT",
         .flag = "port",
         .valueName = "N",
         .description = "TCP port",
         .defaultValue = "3000"},
        {.flag = "json", .description = "print JSON", .kind = OptionKind::Switch},
        {.env = "ALLOWED",
         .flag = "allowed",
         .valueName = "LIST",
         .description = "origins",
         .defaultNote = "any"},
        {.flag = "rate", .valueName = "N", .description = "changes per second"},
        {.env = "LOOP",
         .valueName = "epoll|qt",
         .description = "event loop",
         .defaultValue = "epoll"},
    };
    const QString expected = QStringLiteral("Usage: p\n"
                                            "\n"
                                            "  --port N        TCP port (default 3000) [PORT]\n"
                                            "  --json          print JSON\n"
                                            "  --allowed LIST  origins (default: any) [ALLOWED]\n"
                                            "  --rate N        changes per second\n"
                                            "  --help          show this help and exit\n"
                                            "\n"
                                            "Environment only:\n"
                                            "  LOOP=epoll|qt  event loop (default epoll)\n");
    QCOMPARE(HelpText::format("Usage: p\n\n", specs, "Environment only:"), expected);
}

void tst_HelpText::wrapsLongDescriptions_data()
{
    QTest::addColumn<int>("words");
    for (const int words : {1, 10, 17, 18, 19, 40, 100})
        QTest::addRow("%d words", words) << words;
}

void tst_HelpText::wrapsLongDescriptions()
{
    QFETCH(int, words);
    QStringList description;
    for (int i = 0; i < words; ++i)
        description << QStringLiteral("word%1").arg(i % 10);
    const OptionSpec spec{.env = "LONG_NAME",
                          .flag = "long",
                          .valueName = "N",
                          .description = description.join(u' '),
                          .defaultValue = "1"};
    const QString text = HelpText::format({}, {spec}, {});
    QStringList lines = text.split(u'\n');
    QCOMPARE(lines.takeLast(), QString()); // the text ends with a newline
    QCOMPARE(lines.takeLast(), QStringLiteral("  --help    show this help and exit"));
    const QString column(12, u' ');
    QVERIFY(lines.first().startsWith(QStringLiteral("  --long N  word0")));
    QStringList seen;
    for (const QString &line : std::as_const(lines)) {
        QVERIFY2(line.size() <= HelpText::Width, qPrintable(line));
        QVERIFY2(line == lines.first() || line.startsWith(column + "word") ||
                     line.startsWith(column + "(default"),
                 qPrintable(line));
        seen += line.mid(column.size()).split(u' ', Qt::SkipEmptyParts);
    }
    QVERIFY2(lines.last().endsWith(QStringLiteral(" (default 1) [LONG_NAME]")),
             qPrintable(lines.last()));
    const QStringList tail{"(default", "1)", "[LONG_NAME]"};
    QCOMPARE(seen, description + tail);
}

void tst_HelpText::longHeadGetsItsOwnLine()
{
    const OptionSpec spec{.flag = "a-very-long-flag-name-indeed",
                          .valueName = "FROM:TO:STEP:SECONDS",
                          .description = "what it does"};
    const QStringList lines = HelpText::format({}, {spec}, {}).split(u'\n');
    QCOMPARE(lines.value(0),
             QStringLiteral("  --a-very-long-flag-name-indeed FROM:TO:STEP:SECONDS"));
    QCOMPARE(lines.value(1), QString(40, u' ') + QStringLiteral("what it does"));
}

QTEST_GUILESS_MAIN(tst_HelpText)
#include "tst_helptext.moc"

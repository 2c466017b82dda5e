// SPDX-License-Identifier: MIT
// EventPicker offscreen: events from list-events when the server answers, typed or pasted ids
// when it does not.
#include "eventpicker.h"
#include "fakeroomserver.h"
#include "monitorconnection.h"

#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QTreeWidget>

using namespace Reservo;
using namespace Reservo::Test;

class tst_EventPicker : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void parseIds_data();
    void parseIds();
    void listsTheServersEvents();
    void fallsBackToTypedIdsWithoutAnswer();

private:
    std::unique_ptr<FakeRoomServer> m_server;
    std::unique_ptr<MonitorConnection> m_connection;
};

void tst_EventPicker::init()
{
    m_server = std::make_unique<FakeRoomServer>();
    QVERIFY(m_server->listen());
    m_connection = std::make_unique<MonitorConnection>();
}

void tst_EventPicker::cleanup()
{
    m_connection.reset();
    m_server.reset();
}

void tst_EventPicker::parseIds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("ids");
    QTest::newRow("one") << "6df9e0b4-5155" << QStringList{"6df9e0b4-5155"};
    QTest::newRow("pasted list") << " a, b;c\n d  " << QStringList{"a", "b", "c", "d"};
    QTest::newRow("duplicates once") << "a a b" << QStringList{"a", "b"};
    QTest::newRow("nothing") << " , " << QStringList{};
}

void tst_EventPicker::parseIds()
{
    QFETCH(QString, text);
    QFETCH(QStringList, ids);
    QCOMPARE(EventPicker::parseIds(text), ids);
}

void tst_EventPicker::listsTheServersEvents()
{
    m_connection->start(m_server->url());
    QTRY_COMPARE(m_connection->state(), MonitorConnection::State::Live);
    EventPicker picker(m_connection.get(), {"e2"});
    auto *list = picker.findChild<QTreeWidget *>();
    QTRY_COMPARE(list->topLevelItemCount(), 2);
    QVERIFY(list->topLevelItem(1)->text(0).contains(QStringLiteral("(watching)")));
    QVERIFY(!(list->topLevelItem(1)->flags() & Qt::ItemIsSelectable));
    list->topLevelItem(0)->setSelected(true);
    const QList<EventPicker::Choice> choices = picker.choices();
    QCOMPARE(choices.size(), 1);
    QCOMPARE(choices[0].id, QStringLiteral("e1"));
    QCOMPARE(choices[0].name, QStringLiteral("Concierto"));
    QCOMPARE(choices[0].capacity, 15);
}

void tst_EventPicker::fallsBackToTypedIdsWithoutAnswer()
{
    m_server->answerList = false; // an older server
    m_connection->start(m_server->url());
    QTRY_COMPARE(m_connection->state(), MonitorConnection::State::Live);
    EventPicker picker(m_connection.get(), {});
    auto *list = picker.findChild<QTreeWidget *>();
    QTRY_VERIFY_WITH_TIMEOUT(!list->isEnabled(), MonitorConnection::ListTimeoutMs + 2000);
    bool explained = false;
    for (const QLabel *label : picker.findChildren<QLabel *>())
        explained |= label->text().contains(QStringLiteral("No event list"));
    QVERIFY(explained);
    picker.findChild<QLineEdit *>()->setText(QStringLiteral("id-1, id-2"));
    QCOMPARE(picker.choices().size(), 2);
    QCOMPARE(picker.choices()[1].id, QStringLiteral("id-2"));
}

QTEST_MAIN(tst_EventPicker)
#include "tst_eventpicker.moc"

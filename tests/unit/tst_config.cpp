// SPDX-License-Identifier: MIT
#include "config.h"

#include <QTest>

using namespace Reservo;

// Config layering, defaults and validation of every setting.
class tst_Config : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void layering();
    void invalidValues_data();
    void invalidValues();
    void validValues_data();
    void validValues();
    void natsServers_data();
    void natsServers();
    void dotEnv_data();
    void dotEnv();
    void help();
};

void tst_Config::defaults()
{
    ConfigLoader loader;
    const std::optional<Config> config = loader.load({}, {}, {QStringLiteral("reservo-ws")});
    QVERIFY2(config, qPrintable(loader.errorString()));
    QCOMPARE(config->port, quint16(3000));
    QCOMPARE(config->natsServers, QStringList{QStringLiteral("nats://127.0.0.1:4222")});
    QCOMPARE(config->pingInterval, 25000);
    QCOMPARE(config->pingTimeout, 20000);
    QCOMPARE(config->host, QHostAddress(QHostAddress::Any));
}

void tst_Config::layering()
{
    ConfigLoader loader;
    const QByteArray dotEnv = "PORT=4000\nPING_INTERVAL_MS=1000\nPING_TIMEOUT_MS=900\n";
    const QMap<QString, QString> env{{"PORT", "5000"}, {"PING_TIMEOUT_MS", "800"}};
    const std::optional<Config> config =
        loader.load(env, dotEnv, {"reservo-ws", "--ping-timeout", "700"});
    QVERIFY2(config, qPrintable(loader.errorString()));
    QCOMPARE(config->port, quint16(5000)); // environment beats .env
    QCOMPARE(config->pingInterval, 1000);  // .env beats the default
    QCOMPARE(config->pingTimeout, 700);    // the flag beats both
}

void tst_Config::invalidValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("port text") << "PORT"
                               << "http";
    QTest::newRow("port too big") << "PORT"
                                  << "65536";
    QTest::newRow("port negative") << "PORT"
                                   << "-1";
    QTest::newRow("port empty") << "PORT"
                                << "";
    QTest::newRow("host") << "HOST"
                          << "not-an-address";
    QTest::newRow("nats scheme") << "NATS_SERVER"
                                 << "http://127.0.0.1:4222";
    QTest::newRow("nats empty") << "NATS_SERVER"
                                << "";
    QTest::newRow("nats empty item") << "NATS_SERVER"
                                     << "nats://a:1,,nats://b:2";
    QTest::newRow("nats path") << "NATS_SERVER"
                               << "nats://a:1/x";
    QTest::newRow("ping zero") << "PING_INTERVAL_MS"
                               << "0";
    QTest::newRow("ping float") << "PING_INTERVAL_MS"
                                << "1.5";
    QTest::newRow("timeout huge") << "PING_TIMEOUT_MS"
                                  << "99999999999";
    QTest::newRow("payload tiny") << "MAX_PAYLOAD"
                                  << "1";
    QTest::newRow("connections zero") << "MAX_CONNECTIONS"
                                      << "0";
    QTest::newRow("rooms zero") << "MAX_ROOMS_PER_CONNECTION"
                                << "0";
    QTest::newRow("nats payload") << "NATS_MAX_PAYLOAD"
                                  << "abc";
}

void tst_Config::invalidValues()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    ConfigLoader loader;
    QVERIFY(!loader.load({{key, value}}, {}, {"reservo-ws"}));
    QVERIFY2(loader.errorString().contains(key), qPrintable(loader.errorString()));
    QVERIFY(loader.errorString().contains(QLatin1String("environment")));
    QVERIFY(!loader.errorString().contains(u'\n'));
}

void tst_Config::validValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("expected");
    QTest::newRow("port flag") << QStringList{"--port", "8080"} << "port" << 8080;
    QTest::newRow("port =") << QStringList{"--port=0"} << "port" << 0;
    QTest::newRow("max payload") << QStringList{"--max-payload", "2048"} << "maxPayload" << 2048;
    QTest::newRow("rooms") << QStringList{"--max-rooms-per-connection", "3"} << "rooms" << 3;
    QTest::newRow("connections") << QStringList{"--max-connections", "10"} << "connections" << 10;
}

void tst_Config::validValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, field);
    QFETCH(int, expected);
    ConfigLoader loader;
    const std::optional<Config> c = loader.load({}, {}, QStringList{"reservo-ws"} + args);
    QVERIFY2(c, qPrintable(loader.errorString()));
    const QMap<QString, int> fields{{"port", c->port},
                                    {"maxPayload", c->maxPayload},
                                    {"rooms", c->maxRoomsPerConnection},
                                    {"connections", c->maxConnections}};
    QCOMPARE(fields.value(field, -1), expected);
}

void tst_Config::natsServers_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("one") << "nats://10.0.0.1:4222" << QStringList{"nats://10.0.0.1:4222"};
    QTest::newRow("bare") << "localhost:4223" << QStringList{"nats://localhost:4223"};
    QTest::newRow("cluster") << "nats://a:1, nats://b:2 ,tls://c:3"
                             << QStringList{"nats://a:1", "nats://b:2", "tls://c:3"};
    QTest::newRow("no port") << "nats://host" << QStringList{"nats://host"};
}

void tst_Config::natsServers()
{
    QFETCH(QString, value);
    QFETCH(QStringList, expected);
    QString error;
    const std::optional<QStringList> urls = ConfigLoader::parseNatsServers(value, &error);
    QVERIFY2(urls, qPrintable(error));
    QCOMPARE(*urls, expected);
}

void tst_Config::dotEnv_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("port");
    QTest::newRow("plain") << QByteArray("PORT=1234\n") << true << "1234";
    QTest::newRow("comments") << QByteArray("# c\n\n  PORT = 1234 \n") << true << "1234";
    QTest::newRow("export") << QByteArray("export PORT=1234") << true << "1234";
    QTest::newRow("double quotes") << QByteArray("PORT=\"1234\"") << true << "1234";
    QTest::newRow("single quotes") << QByteArray("PORT='1234'") << true << "1234";
    QTest::newRow("crlf") << QByteArray("A=1\r\nPORT=1234\r\n") << true << "1234";
    QTest::newRow("no equals") << QByteArray("PORT 1234") << false << "";
    QTest::newRow("bad key") << QByteArray("1PORT=2") << false << "";
    QTest::newRow("empty key") << QByteArray("=2") << false << "";
}

void tst_Config::dotEnv()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QString, port);
    QString error;
    const auto values = ConfigLoader::parseDotEnv(text, &error);
    QCOMPARE(values.has_value(), valid);
    if (valid)
        QCOMPARE(values->value("PORT"), port);
    else
        QVERIFY(error.contains(QLatin1String(".env line")));
}

void tst_Config::help()
{
    ConfigLoader loader;
    loader.load({}, {}, {"reservo-ws", "--help"});
    QVERIFY(loader.helpRequested());
    const QString text = ConfigLoader::helpText("reservo-ws");
    for (const ConfigOption &o : ConfigLoader::options()) {
        QVERIFY2(text.contains(o.env), qPrintable(o.env));
        QVERIFY2(text.contains("--" + o.flag), qPrintable(o.flag));
    }
    QVERIFY(!loader.load({}, {}, {"reservo-ws", "--bogus", "1"}));
    QVERIFY(loader.errorString().contains(QLatin1String("--bogus")));
    QVERIFY(!loader.load({}, {}, {"reservo-ws", "--port"}));
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"

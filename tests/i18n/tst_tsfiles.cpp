// Every message in translations/*.ts is translated: no unfinished, vanished or
// obsolete entries, no empty text, the right number of plural forms, and the
// same placeholders as the English source. Run it after `natter_lupdate`.

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    QString type; // the <translation type="…">, empty when finished
    QStringList forms; // the translation, or each plural form
};

struct TsFile
{
    QString language;
    QList<Message> messages;
    QString error;
};

TsFile readTs(const QString &path)
{
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = file.errorString();
        return ts;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"message") {
            ts.messages.append(message);
            continue;
        }
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"TS") {
            ts.language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            message = Message{context, {}, xml.attributes().value(QLatin1String("numerus")) == u"yes", {}, {}};
        } else if (name == u"source") {
            message.source = xml.readElementText();
        } else if (name == u"translation") {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            // A plural's forms follow as <numerusform> children.
            if (!message.numerus)
                message.forms.append(xml.readElementText());
        } else if (name == u"numerusform") {
            message.forms.append(xml.readElementText());
        }
    }
    if (xml.hasError())
        ts.error = xml.errorString();
    return ts;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%(?:n|L?[0-9]+)"));
    QStringList found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found.append(match.captured());
    found.sort();
    found.removeDuplicates();
    return found;
}

} // namespace

class TestTsFiles : public QObject
{
    Q_OBJECT

private slots:
    void complete_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("pluralForms");
        QTest::newRow("German") << QStringLiteral("natter_de.ts") << QStringLiteral("de") << 2;
        QTest::newRow("Japanese") << QStringLiteral("natter_ja.ts") << QStringLiteral("ja") << 1;
    }

    void complete()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, language);
        QFETCH(int, pluralForms);
        const TsFile ts = readTs(QDir(QStringLiteral(NATTER_TRANSLATIONS_DIR)).filePath(fileName));
        QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
        QCOMPARE(ts.language, language);
        QVERIFY2(ts.messages.size() > 100, "the .ts file has lost its messages");

        QStringList problems;
        for (const Message &message : ts.messages) {
            const QString where = message.context + QStringLiteral(" / \"") + message.source + u'"';
            if (!message.type.isEmpty())
                problems.append(where + QStringLiteral(": ") + message.type);
            if (message.numerus && message.forms.size() != pluralForms)
                problems.append(where + QStringLiteral(": %1 plural forms, %2 expected")
                                            .arg(message.forms.size()).arg(pluralForms));
            for (const QString &form : message.forms) {
                if (form.trimmed().isEmpty())
                    problems.append(where + QStringLiteral(": empty translation"));
                else if (placeholders(form) != placeholders(message.source))
                    problems.append(where + QStringLiteral(": placeholders differ in \"") + form + u'"');
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestTsFiles)
#include "tst_tsfiles.moc"

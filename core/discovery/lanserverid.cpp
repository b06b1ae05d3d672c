#include "lanserverid.h"

#include <QDir>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QUuid>

Q_LOGGING_CATEGORY(lcServerId, "natter.discovery")

namespace natter::discovery {

QString LanServerId::loadOrCreate(const QString &dataDir)
{
    const QString path = QDir(dataDir).filePath(QStringLiteral("lan-server-id"));
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly)) {
        const QString id = QString::fromLatin1(existing.read(64)).trimmed();
        if (!QUuid::fromString(id).isNull())
            return id;
    }
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(id.toLatin1() + '\n') < 0 || !file.commit())
        qCWarning(lcServerId) << "cannot keep the LAN server id in" << path << "- it changes on restart";
    return id;
}

} // namespace natter::discovery

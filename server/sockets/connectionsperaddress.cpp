#include "connectionsperaddress.h"

namespace natter::server {

class ConnectionsPerAddress::Slot final : public QObject
{
public:
    Slot(std::shared_ptr<Counts> counts, QHostAddress address, QObject *owner)
        : QObject(owner)
        , m_counts(std::move(counts))
        , m_address(std::move(address))
    {
        setObjectName(QStringLiteral("natter-address-slot"));
    }
    ~Slot() override { m_counts->release(m_address); }

private:
    std::shared_ptr<Counts> m_counts;
    QHostAddress m_address;
};

bool ConnectionsPerAddress::admit(const QHostAddress &address, QObject *owner)
{
    if (m_limit <= 0)
        return true;
    {
        QMutexLocker lock(&m_counts->mutex);
        int &open = m_counts->open[address];
        if (open >= m_limit)
            return false;
        ++open;
    }
    new Slot(m_counts, address, owner);
    return true;
}

void ConnectionsPerAddress::transfer(QObject *from, QObject *to)
{
    if (QObject *slot = from->findChild<QObject *>(QStringLiteral("natter-address-slot"), Qt::FindDirectChildrenOnly))
        slot->setParent(to);
}

void ConnectionsPerAddress::Counts::release(const QHostAddress &address)
{
    QMutexLocker lock(&mutex);
    const auto found = open.find(address);
    if (found != open.end() && --found.value() <= 0)
        open.erase(found);
}

} // namespace natter::server

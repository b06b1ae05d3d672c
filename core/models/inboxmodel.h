#pragma once

// InboxModel: what NotificationModel and MessageRequestModel share — rows with
// a key and a read flag: the count, the unread count, marking read, removing
// by key, clearing. Subclasses own their rows, their order and their roles.

#include <QAbstractListModel>

namespace natter::client {

class InboxModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)

public:
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : count(); }
    virtual int count() const = 0;
    int unreadCount() const;

    Q_INVOKABLE bool markRead(const QString &key);
    Q_INVOKABLE void markAllRead();
    Q_INVOKABLE bool remove(const QString &key);
    void clear();
    Q_INVOKABLE int indexOf(const QString &key) const;

signals:
    void countChanged();
    void unreadCountChanged();

protected:
    virtual QString keyAt(int row) const = 0;
    virtual bool isReadAt(int row) const = 0;
    virtual void setReadAt(int row) = 0;
    virtual void removeItemAt(int row) = 0;
    virtual void clearItems() = 0;
    virtual int readRole() const = 0;
};

} // namespace natter::client

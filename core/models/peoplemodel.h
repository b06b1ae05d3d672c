#pragma once

// PeopleModel: the people directory's answer to the latest search (people to
// start a chat with or invite), in the order the server gave them.
// Backend::peopleFound → setPeople; ChatSession drops answers to older queries.

#include "chattypes.h"

#include <QAbstractListModel>
#include <QList>
#include <optional>

namespace natter::client {

class PeopleModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    // QML names in quotes.
    enum Role {
        PersonIdRole = Qt::UserRole + 1, // "personId"    QString: as the backend names people (what the actions take)
        UsernameRole,                    // "username"    QString
        DisplayNameRole,                 // "displayName" QString: display name, else username (also DisplayRole)
        OnlineRole,                      // "online"      bool: online when the search answered
    };
    Q_ENUM(Role)

    explicit PeopleModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_people.size()); }
    // Replaces the list (one reset).
    void setPeople(const QList<Person> &people);
    void clear() { setPeople({}); }
    std::optional<Person> person(const QString &personId) const;
    Q_INVOKABLE int indexOf(const QString &personId) const;

signals:
    void countChanged();

private:
    QList<Person> m_people;
};

} // namespace natter::client
